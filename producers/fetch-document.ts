import type { SourceKind } from '../core/model/index.js';
import { isProblem } from '../core/intake/is-problem.js';
import { sniff } from '../core/intake/sniff.js';
import { DEFAULT_LIMITS } from '../core/intake/limits.js';
import { decodeHtml } from './decode-html.js';
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

export type FetchFailureReason = 'http-status' | 'timeout' | 'not-a-document' | 'too-large' | 'network';

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
}

export const DEFAULT_USER_AGENT = 'docq-crawler/0.1 (+https://github.com/docq)';
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
    const response = await fetch(url, { headers: requestHeaders(options), signal, redirect: 'follow' });
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
      const message = `HTTP ${response.status} ${response.statusText}`.trim();
      return fail(
        'http-status',
        retryAfter === undefined ? message : `${message} (Retry-After: ${response.headers.get('retry-after') ?? ''})`,
        response.status,
        retryAfter,
      );
    }
    const contentType = response.headers.get('content-type') ?? '';
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (!options.expectDocument && HTML_TYPES.test(contentType)) {
      return await readPage(response, options.maxPageBytes, fail);
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
      return fail('not-a-document', `not a PDF or image: ${describeContent(contentType, blob.head)}`);
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
    return fail('network', errorMessage(error));
  }
}

function requestHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? DEFAULT_USER_AGENT };
  if (options.validators?.etag !== undefined) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.lastModified !== undefined) headers['if-modified-since'] = options.validators.lastModified;
  return headers;
}

async function readPage(
  response: Response,
  maxPageBytes: number,
  fail: (reason: FetchFailureReason, message: string) => FetchFailure,
): Promise<FetchedPage | FetchFailure> {
  if (response.body === null) return { kind: 'page', url: response.url, html: '' };
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
    url: response.url,
    html: decodeHtml(Buffer.concat(chunks), response.headers.get('content-type') ?? ''),
  };
}

/** "text/html (starts with "<!DOCTYPE html>")": enough for a person to see what came back. */
function describeContent(contentType: string, head: Uint8Array): string {
  const start = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 40)).replace(/\s+/g, ' ').trim();
  const type = contentType === '' ? 'no content type' : contentType;
  return head.length === 0 ? `${type} (empty body)` : `${type} (starts with ${JSON.stringify(start)})`;
}

/** An error's message with its cause (undici hides ECONNREFUSED in `cause`). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
