import type { SourceKind } from '../core/model/index.js';
import { isProblem } from '../core/intake/is-problem.js';
import { sniff } from '../core/intake/sniff.js';
import { DEFAULT_LIMITS } from '../core/intake/limits.js';
import { fetch as undiciFetch } from 'undici';
import { decodeHtml } from './decode-html.js';
import { RefusedAddressError, refuseLiteral, safeDispatcher } from './safe-address.js';
import { discardBlob, storeBlob, type StoredBlob } from './store-blob.js';

/**
 * One HTTP GET of a crawl: conditional when validators are known, bounded in time (headers and
 * body) and in size, and sorted by what the bytes are, never by the URL's name. Every outcome is a
 * value; nothing here throws for a bad server.
 */

/** The HTTP validators remembered for a URL from its last successful download. */
export interface Validators {
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

export type FetchFailureReason =
  | 'http-status'
  | 'timeout'
  | 'not-a-document'
  | 'too-large'
  | 'network'
  /** The address or a redirect's target is one a crawl may not reach (safe-address.ts), or leaves the crawl's bounds. */
  | 'refused'
  | 'too-many-redirects';

export interface FetchFailure {
  readonly kind: 'failed';
  readonly url: string;
  readonly reason: FetchFailureReason;
  /** The HTTP status when the server answered. */
  readonly status?: number;
  /** 429 or 503 with a valid Retry-After: how long the server asks us to wait, capped at MAX_RETRY_AFTER_MS. */
  readonly retryAfterMs?: number;
  readonly message: string;
}

/** A server asking for a longer pause is retried after this long anyway (a crawl must not hold a worker for hours). */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, as milliseconds from `now`,
 * capped at MAX_RETRY_AFTER_MS; a date in the past is 0; anything else is undefined.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // Only the date formats HTTP allows (IMF-fixdate, RFC 850, asctime), not whatever Date.parse guesses.
    if (!/^[A-Za-z]{3,9},? /.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

export interface FetchedDocument {
  readonly kind: 'document';
  readonly url: string;
  readonly blob: StoredBlob;
  readonly sourceKind: SourceKind;
  readonly mime: string;
  readonly validators: Validators;
}

export interface FetchedPage {
  readonly kind: 'page';
  /** The final URL after redirects: links on the page resolve against it. */
  readonly url: string;
  readonly html: string;
}

export interface NotModified {
  readonly kind: 'not-modified';
  readonly url: string;
}

/** A page-like link whose content is neither HTML nor a document (a stylesheet, a zip): skipped, not a failure. */
export interface Ignored {
  readonly kind: 'ignored';
  readonly url: string;
  readonly contentType: string;
}

export type FetchOutcome = FetchedDocument | FetchedPage | NotModified | Ignored | FetchFailure;

export interface FetchOptions {
  readonly blobDir: string;
  /** Time for the whole exchange, headers and body. */
  readonly timeoutMs: number;
  /** Largest document accepted; larger downloads are cut off. */
  readonly maxBytes: number;
  /** Largest HTML page read for links. */
  readonly maxPageBytes: number;
  /** The link looks like a document (.pdf, .jpg …): anything else in its place is a failure. */
  readonly expectDocument: boolean;
  readonly validators?: Validators | undefined;
  /** Cancels the fetch (the crawl job is shutting down); reported as a failure like a timeout. */
  readonly signal?: AbortSignal | undefined;
  readonly userAgent?: string | undefined;
  /**
   * Asked for every redirect's target before it is followed: a reason to refuse it (another site,
   * outside the allow pattern, disallowed by robots.txt) or null to follow it.
   */
  readonly vetRedirect?: ((target: URL) => Promise<string | null>) | undefined;
}

/** Redirects followed at most (browsers allow 20; a document link needs one or two). */
export const MAX_REDIRECTS = 5;

/** The contact a site owner can reach about the crawl: DOCQ_CRAWL_CONTACT (a URL or mailto:), in the user agent. */
export const CRAWL_CONTACT_ENV = 'DOCQ_CRAWL_CONTACT';

/** `docq-crawler/0.1 (+<contact>)`: names docq and, when configured, who runs it. */
export function crawlUserAgent(env: NodeJS.ProcessEnv = process.env): string {
  const contact = env[CRAWL_CONTACT_ENV]?.trim();
  return `docq-crawler/0.1 (+${contact !== undefined && contact !== '' ? contact : 'https://github.com/docq; set DOCQ_CRAWL_CONTACT'})`;
}

export const DEFAULT_USER_AGENT = crawlUserAgent();
const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml)\b/i;

export async function fetchDocument(url: URL, options: FetchOptions): Promise<FetchOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const fail = (reason: FetchFailureReason, message: string, status?: number, retryAfterMs?: number): FetchFailure => ({
    kind: 'failed',
    url: url.href,
    reason,
    message,
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
  try {
    const followed = await followRedirects(url, options, signal);
    if ('kind' in followed) return followed;
    const { response, finalUrl } = followed;
    if (response.status === 304) {
      await response.body?.cancel();
      return { kind: 'not-modified', url: url.href };
    }
    if (!response.ok) {
      await response.body?.cancel();
      const retryAfter =
        response.status === 429 || response.status === 503
          ? parseRetryAfter(response.headers.get('retry-after'))
          : undefined;
      // The status code only: the reason phrase and headers are the server's words, not ours to record.
      const message = `HTTP ${response.status}`;
      return fail(
        'http-status',
        retryAfter === undefined ? message : `${message} (Retry-After: ${Math.round(retryAfter / 1000)} s)`,
        response.status,
        retryAfter,
      );
    }
    const contentType = response.headers.get('content-type') ?? '';
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (!options.expectDocument && HTML_TYPES.test(contentType)) {
      return await readPage(response, finalUrl, options.maxPageBytes, fail);
    }
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel();
      return fail('too-large', `Content-Length ${declared} exceeds the limit of ${options.maxBytes} bytes`);
    }
    if (response.body === null) return fail('not-a-document', 'the response has no body');
    const blob = await storeBlob(response.body, options.blobDir, options.maxBytes);
    if (blob.kind === 'too-large') return fail('too-large', `more than ${options.maxBytes} bytes (download cut off)`);
    const sniffed = sniff(blob.head, { ...DEFAULT_LIMITS, maxBytes: Number.POSITIVE_INFINITY });
    if (isProblem(sniffed)) {
      await discardBlob(blob);
      if (!options.expectDocument) return { kind: 'ignored', url: url.href, contentType };
      return fail('not-a-document', `not a PDF or image: ${describeContent(contentType, blob.head, blob.size)}`);
    }
    return {
      kind: 'document',
      url: url.href,
      blob,
      sourceKind: sniffed.kind,
      mime: sniffed.mime,
      validators: {
        etag: response.headers.get('etag') ?? undefined,
        lastModified: response.headers.get('last-modified') ?? undefined,
      },
    };
  } catch (error) {
    if (timeout.aborted) return fail('timeout', `no complete response within ${options.timeoutMs} ms`);
    if (options.signal?.aborted) return fail('timeout', 'the crawl was cancelled');
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof RefusedAddressError) return fail('refused', cause.message);
    return fail('network', errorMessage(error));
  }
}

/** One dispatcher per process: its lookups refuse private addresses (safe-address.ts). */
let dispatcher: ReturnType<typeof safeDispatcher> | null = null;

/**
 * GET with redirects followed by hand: every hop's target is checked (its address, then the caller's
 * vetRedirect for site, allow pattern and robots.txt) before it is requested, at most MAX_REDIRECTS.
 */
export async function followRedirects(
  start: URL,
  options: Pick<FetchOptions, 'userAgent' | 'validators' | 'vetRedirect'>,
  signal: AbortSignal,
): Promise<{ response: Response; finalUrl: URL } | FetchFailure> {
  const refused = (reason: FetchFailureReason, message: string): FetchFailure => ({
    kind: 'failed',
    url: start.href,
    reason,
    message,
  });
  dispatcher ??= safeDispatcher();
  let current = start;
  for (let hop = 0; ; hop++) {
    const literal = refuseLiteral(current);
    if (literal !== null)
      return refused('refused', hop === 0 ? literal : `redirect to ${current.href} refused: ${literal}`);
    const response = (await undiciFetch(current, {
      headers: requestHeaders(options),
      signal,
      redirect: 'manual',
      dispatcher,
    })) as unknown as Response;
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || location === null) return { response, finalUrl: current };
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) return refused('too-many-redirects', `more than ${MAX_REDIRECTS} redirects`);
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      return refused('refused', `redirect to an invalid URL (HTTP ${response.status})`);
    }
    const why = refuseLiteral(next) ?? (await options.vetRedirect?.(next)) ?? null;
    if (why !== null) return refused('refused', `redirect to ${next.href} refused: ${why}`);
    current = next;
  }
}

function requestHeaders(options: Pick<FetchOptions, 'userAgent' | 'validators'>): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? DEFAULT_USER_AGENT };
  if (options.validators?.etag !== undefined) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.lastModified !== undefined) headers['if-modified-since'] = options.validators.lastModified;
  return headers;
}

async function readPage(
  response: Response,
  finalUrl: URL,
  maxPageBytes: number,
  fail: (reason: FetchFailureReason, message: string) => FetchFailure,
): Promise<FetchedPage | FetchFailure> {
  if (response.body === null) return { kind: 'page', url: finalUrl.href, html: '' };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxPageBytes) {
      await reader.cancel('size limit reached');
      return fail('too-large', `the HTML page is larger than ${maxPageBytes} bytes`);
    }
    chunks.push(value);
  }
  return {
    kind: 'page',
    url: finalUrl.href,
    html: decodeHtml(Buffer.concat(chunks), response.headers.get('content-type') ?? ''),
  };
}

/**
 * "text/html, 5,120 bytes": enough for a person to see what came back. The answer's bytes are never
 * quoted: failure records are served by the API, and a crawled server must not be able to write into them.
 */
function describeContent(contentType: string, head: Uint8Array, size: number): string {
  const type = contentType === '' ? 'no content type' : contentType.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
  return head.length === 0 ? `${type} (empty body)` : `${type}, ${size} bytes`;
}

/** An error's message with its cause (undici hides ECONNREFUSED in `cause`). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
