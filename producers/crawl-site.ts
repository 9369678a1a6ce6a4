import type { SourceKind } from '../core/model/index.js';
import { extractLinks } from './extract-links.js';
import {
  DEFAULT_USER_AGENT,
  fetchDocument,
  type FetchFailure,
  type FetchOutcome,
  type Validators,
} from './fetch-document.js';
import type { HostRateLimit } from './host-rate-limit.js';
import { fetchRobots, type RobotsRules } from './read-robots.js';

/**
 * One crawl: fetch the index page, follow same-site links breadth-first up to `depth` hops,
 * download what looks like a document (or turns out to be one), and hand on what is new or changed
 * by content hash. Failures are handed on too, and the crawl keeps going. Storage, queueing and
 * failure records are injected, so this file knows nothing of Redis or MongoDB.
 */

export interface CrawlSpec {
  readonly name: string;
  /** The index page. */
  readonly url: string;
  /** Link hops followed from the index page (1: only what the index links to). */
  readonly depth: number;
  /** Most documents downloaded or revalidated in one run. */
  readonly max: number;
  /** Only documents whose URL matches this regular expression are taken (pages are not filtered). */
  readonly allow?: string | undefined;
  /** Smallest gap between two requests to one host. */
  readonly minIntervalMs: number;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Obey robots.txt (Disallow, Crawl-delay); on unless the crawl was added with --ignore-robots. */
  readonly respectRobots?: boolean | undefined;
}

/** What the crawl remembers per document URL between runs. */
export interface CrawlStateRecord extends Validators {
  readonly sha256: string;
  readonly size: number;
}

export interface CrawlStateStore {
  get(url: string): Promise<CrawlStateRecord | null>;
  /** Called after the document was queued (or found unchanged), never before. */
  save(url: string, record: CrawlStateRecord): Promise<void>;
}

export interface CrawledDocument {
  readonly url: string;
  readonly sha256: string;
  readonly path: string;
  readonly size: number;
  readonly sourceKind: SourceKind;
  readonly change: 'new' | 'changed';
}

export interface CrawlDeps {
  readonly blobDir: string;
  readonly state: CrawlStateStore;
  readonly rateLimit: HostRateLimit;
  /** Queues an extract job; a throw (Redis down) fails the crawl job so BullMQ retries it. */
  readonly queueDocument: (document: CrawledDocument) => Promise<void>;
  readonly recordFailure: (failure: FetchFailure) => Promise<void>;
  /** A 429/503 with Retry-After: the host is paused that long and the URL tried again. */
  readonly recordRetryAfter?: (wait: RetryAfterWait) => Promise<void>;
  readonly signal?: AbortSignal | undefined;
}

export interface RetryAfterWait {
  readonly url: string;
  readonly status: number;
  /** The pause honoured (the server's Retry-After, capped at MAX_RETRY_AFTER_MS). */
  readonly waitMs: number;
  readonly message: string;
}

export interface CrawlSummary {
  readonly pages: number;
  readonly queuedNew: number;
  readonly queuedChanged: number;
  /** Answered 304, or downloaded with the same hash as last time. */
  readonly unchanged: number;
  /** The same content already queued from another URL in this run. */
  readonly duplicates: number;
  readonly failed: number;
  /** Document links left out by the allow pattern or the `max` limit. */
  readonly skipped: number;
  /** Links robots.txt asks us not to fetch. */
  readonly robotsDisallowed: number;
  /** Pauses asked for by a 429/503 Retry-After, each followed by another try of the URL. */
  readonly retryAfterWaits: number;
}

/** Largest HTML page read for links; index pages are far smaller, larger ones are not indexes. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
/** Crawl-delay is honoured up to this; a site asking for an hour per request would stall a worker for days. */
export const MAX_CRAWL_DELAY_MS = 30_000;
/** Pages fetched per run at most, so a site with endless calendar links cannot hold a worker. */
export const MAX_PAGES_PER_CRAWL = 1_000;
/** Tries of one URL after a Retry-After; a server still refusing then is recorded as a failure. */
export const MAX_RETRY_AFTER_RETRIES = 2;

const DOCUMENT_EXTENSIONS = /\.(?:pdf|jpe?g|png|tiff?)$/i;
/** Certainly HTML: not worth a request once its links would no longer be followed (script URLs may be downloads). */
const PAGE_EXTENSIONS = /\.(?:s?html?|xhtml)$/i;
/** Links with these endings are neither pages nor documents (archives, office files, media). */
const OTHER_EXTENSIONS = /\.(?:zip|rar|7z|gz|docx?|xlsx?|pptx?|wps|et|txt|css|js|mp[34]|avi|gif|svg|ico|xml|json)$/i;

interface Pending {
  readonly url: URL;
  readonly depth: number;
  readonly expectDocument: boolean;
  /** Tries after a Retry-After so far (limits and robots.txt were applied on the first). */
  readonly retries?: number;
}

export async function crawlSite(spec: CrawlSpec, deps: CrawlDeps): Promise<CrawlSummary> {
  const root = new URL(spec.url);
  const allow = spec.allow === undefined || spec.allow === '' ? null : new RegExp(spec.allow);
  const counts = {
    pages: 0,
    queuedNew: 0,
    queuedChanged: 0,
    unchanged: 0,
    duplicates: 0,
    failed: 0,
    skipped: 0,
    robotsDisallowed: 0,
    retryAfterWaits: 0,
  };
  const visited = new Set<string>([root.href]);
  const queuedHashes = new Set<string>();
  const pending: Pending[] = [{ url: root, depth: 0, expectDocument: DOCUMENT_EXTENSIONS.test(root.pathname) }];
  let documents = 0;
  const robots = new Map<string, Promise<RobotsRules>>();

  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    deps.signal?.throwIfAborted();
    const retries = next.retries ?? 0;
    if (retries === 0) {
      if (!(await robotsAllow(next.url))) {
        counts.robotsDisallowed++;
        continue;
      }
      if (next.expectDocument) {
        if (documents >= spec.max || (allow !== null && !allow.test(next.url.href))) {
          counts.skipped++;
          continue;
        }
        documents++;
      } else if (counts.pages >= MAX_PAGES_PER_CRAWL) continue;
    }

    const prior = await deps.state.get(next.url.href);
    await deps.rateLimit.wait(next.url, deps.signal);
    const outcome = await fetchDocument(next.url, {
      blobDir: deps.blobDir,
      timeoutMs: spec.timeoutMs,
      maxBytes: spec.maxBytes,
      maxPageBytes: MAX_PAGE_BYTES,
      expectDocument: next.expectDocument,
      validators: prior ?? undefined,
      signal: deps.signal,
      vetRedirect: (target) => vetRedirect(target, next.expectDocument),
    });
    if (outcome.kind === 'failed' && outcome.retryAfterMs !== undefined && retries < MAX_RETRY_AFTER_RETRIES) {
      // The server says when to come back: the whole host waits (its other URLs would be refused
      // too), then this URL is tried again before anything else.
      deps.rateLimit.pause(next.url, outcome.retryAfterMs);
      counts.retryAfterWaits++;
      await deps.recordRetryAfter?.({
        url: outcome.url,
        status: outcome.status ?? 0,
        waitMs: outcome.retryAfterMs,
        message: outcome.message,
      });
      pending.unshift({ ...next, retries: retries + 1 });
      continue;
    }
    await handle(outcome, next, prior);
  }
  return counts;

  /** A redirect is held to what a link would be: the same site, the allow pattern (documents), robots.txt. */
  async function vetRedirect(target: URL, expectDocument: boolean): Promise<string | null> {
    if (!sameSite(target, root)) return `${target.host} is not the crawled site`;
    if (expectDocument && allow !== null && !allow.test(target.href)) return 'the target is outside the allow pattern';
    if (!(await robotsAllow(target))) return 'robots.txt disallows the target';
    return null;
  }

  /** robots.txt is read once per host and crawl (a crawl is short; sites change it rarely). */
  async function robotsAllow(url: URL): Promise<boolean> {
    if (spec.respectRobots === false) return true;
    let rules = robots.get(url.host);
    if (rules === undefined) {
      rules = (async () => {
        await deps.rateLimit.wait(url, deps.signal);
        const outcome = await fetchRobots(url, {
          timeoutMs: spec.timeoutMs,
          userAgent: DEFAULT_USER_AGENT,
          signal: deps.signal,
        });
        if (outcome.failure !== undefined) {
          counts.failed++;
          await deps.recordFailure(outcome.failure);
        }
        const delay = outcome.rules.crawlDelayMs;
        if (delay !== null) deps.rateLimit.slowDown(url, Math.min(delay, MAX_CRAWL_DELAY_MS));
        return outcome.rules;
      })();
      robots.set(url.host, rules);
    }
    return (await rules).isAllowed(url);
  }

  async function handle(outcome: FetchOutcome, from: Pending, prior: CrawlStateRecord | null): Promise<void> {
    switch (outcome.kind) {
      case 'failed':
        counts.failed++;
        await deps.recordFailure(outcome);
        return;
      case 'ignored':
        return;
      case 'not-modified':
        counts.unchanged++;
        return;
      case 'page': {
        counts.pages++;
        if (from.depth >= spec.depth) return;
        for (const link of extractLinks(outcome.html, new URL(outcome.url))) {
          if (!sameSite(link, root) || visited.has(link.href)) continue;
          if (OTHER_EXTENSIONS.test(link.pathname)) continue;
          if (from.depth + 1 >= spec.depth && PAGE_EXTENSIONS.test(link.pathname)) continue;
          visited.add(link.href);
          pending.push({ url: link, depth: from.depth + 1, expectDocument: DOCUMENT_EXTENSIONS.test(link.pathname) });
        }
        return;
      }
      case 'document': {
        const { blob } = outcome;
        if (!from.expectDocument) {
          // A page-like link that turned out to be a document: the same limits apply, after the fact.
          if (documents >= spec.max || (allow !== null && !allow.test(outcome.url))) {
            counts.skipped++;
            return;
          }
          documents++;
        }
        const record: CrawlStateRecord = { sha256: blob.sha256, size: blob.size, ...outcome.validators };
        if (prior?.sha256 === blob.sha256) {
          counts.unchanged++;
        } else if (queuedHashes.has(blob.sha256)) {
          counts.duplicates++;
        } else {
          const change = prior === null ? 'new' : 'changed';
          await deps.queueDocument({
            url: outcome.url,
            sha256: blob.sha256,
            path: blob.path,
            size: blob.size,
            sourceKind: outcome.sourceKind,
            change,
          });
          queuedHashes.add(blob.sha256);
          if (change === 'new') counts.queuedNew++;
          else counts.queuedChanged++;
        }
        await deps.state.save(outcome.url, record);
        return;
      }
    }
  }
}

/** Same host, treating `www.example.org` and `example.org` as one site, on any scheme. */
function sameSite(link: URL, root: URL): boolean {
  const strip = (host: string): string => host.toLowerCase().replace(/^www\./, '');
  return strip(link.host) === strip(root.host);
}
