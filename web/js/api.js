// The JSON API of `docq serve`. The token is kept for the tab only (sessionStorage) and sent as a
// Bearer header on every request; nothing the page says is trusted by the server.

const TOKEN_KEY = 'docq.token';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** An API error: HTTP status plus the body's `code`, `message` and, for a refused rule, `rule`/`text`/`values`. */
export class ApiError extends Error {
  constructor(status, body) {
    // A 5xx body carries only a code and a request id (the server log has the rest).
    super(
      body?.message ?? body?.text ?? (body?.requestId ? `server error (request ${body.requestId})` : `HTTP ${status}`),
    );
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? `HTTP_${status}`;
    this.body = body ?? {};
  }
}

function headers(extra) {
  const token = session.token;
  return { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

async function check(res) {
  if (res.ok) return res;
  const body = await res.json().catch(() => null);
  if (res.status === 401) window.dispatchEvent(new CustomEvent('docq:unauthorized'));
  throw new ApiError(res.status, body);
}

export async function getJson(path) {
  const res = await check(await fetch(path, { headers: headers() }));
  return res.json();
}

export async function postJson(path, body) {
  const res = await check(
    await fetch(path, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(body ?? {}),
    }),
  );
  return res.json();
}

/** An image behind the token (an <img src> cannot send the header): fetched as a blob, shown by object URL. */
export async function getImageUrl(path, signal) {
  const res = await check(await fetch(path, { headers: headers({ accept: 'image/*' }), signal }));
  return URL.createObjectURL(await res.blob());
}

/** One query string from a filter object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const paths = {
  me: () => '/me',
  queue: (params) => `/review/queue${query(params)}`,
  review: (sha) => `/documents/${sha}/review`,
  timeline: (sha) => `/documents/${sha}/timeline`,
  decisions: (sha) => `/documents/${sha}/decisions`,
  close: (sha) => `/documents/${sha}/review`,
  // `x` names the extraction the view was made from (view.extraction): the URL then names its content.
  crop: (sha, key, x) => `/documents/${sha}/cells/${encodeURIComponent(key)}/crop${x ? `?x=${x}` : ''}`,
  page: (sha, n) => `/documents/${sha}/pages/${n}/image`,
};
