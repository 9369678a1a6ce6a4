// The review page: sign-in, then a router over two views (history API, one URL per document).
//   /                      the review queue (filters in the query string)
//   /documents/<sha256>    one document under review
import { ApiError, getJson, paths, session } from './api.js';
import { h, mount } from './dom.js';
import { renderDocument } from './document-view.js';
import { renderQueue } from './queue-view.js';
import { renderSignIn } from './sign-in.js';

const view = document.getElementById('view');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
let me = null;
/** Whatever the current view must undo when the route changes (key handlers, object URLs). */
let teardown = () => {};

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void route();
}

async function route() {
  teardown();
  teardown = () => {};
  if (!session.token || !me) {
    me = session.token ? await whoAmI() : null;
    if (!me) return showSignIn();
  }
  showUser();
  const doc = /^\/documents\/([0-9a-f]{64})\/?$/.exec(location.pathname);
  try {
    teardown = doc
      ? await renderDocument(view, { sha256: doc[1], me, navigate })
      : await renderQueue(view, { me, navigate });
  } catch (error) {
    mount(
      view,
      h(
        'div.pad.load-error',
        {},
        h('h1', {}, error.status === 404 ? 'Nothing to review here' : 'Could not load this page'),
        h('p.error', {}, error.code ? `${error.code}: ${error.message}` : error.message),
        h('p', {}, h('a', { href: '/', 'data-nav': true }, '← Back to the queue')),
      ),
    );
  }
}

async function whoAmI() {
  try {
    return await getJson(paths.me());
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) session.signOut();
    return null;
  }
}

function showSignIn(message) {
  who.hidden = signOut.hidden = true;
  teardown = renderSignIn(view, {
    message,
    onSignedIn: (user) => {
      me = user;
      void route();
    },
  });
}

function showUser() {
  who.textContent = `${me.name} · ${me.role}`;
  who.hidden = signOut.hidden = false;
}

signOut.addEventListener('click', () => {
  session.signOut();
  me = null;
  navigate('/');
});

// A token revoked or expired mid-session: back to the sign-in, on the same URL.
window.addEventListener('docq:unauthorized', () => {
  if (!me) return;
  me = null;
  session.signOut();
  teardown();
  teardown = () => {};
  showSignIn('Your session ended (the token was refused). Sign in again.');
});

// Links inside the page move through the router instead of reloading.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-nav]') : null;
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', () => void route());

void route();
