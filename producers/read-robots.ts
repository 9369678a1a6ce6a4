import { errorMessage, followRedirects, type FetchFailure } from './fetch-document.js';

/**
 * robots.txt as RFC 9309 defines it: the group for our product token (else `*`), Allow/Disallow
 * patterns with `*` and `$`, the longest match wins and Allow wins a tie; plus the common
 * Crawl-delay extension. A 4xx means no rules; an unreachable file (5xx, network) means
 * "disallow everything" until it can be read, as the RFC requires.
 */

export const ROBOTS_PRODUCT_TOKEN = 'docq';
/** RFC 9309 asks crawlers to parse at least 500 KiB; anything past it is ignored. */
const MAX_ROBOTS_BYTES = 500 * 1024;

export interface RobotsRules {
  isAllowed(url: URL): boolean;
  /** Crawl-delay of our group, in ms, when the site sets one. */
  readonly crawlDelayMs: number | null;
}

interface Rule {
  readonly allow: boolean;
  readonly pattern: string;
  readonly regex: RegExp;
}

export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelayMs: null };
const DISALLOW_ALL: RobotsRules = { isAllowed: (url) => url.pathname === '/robots.txt', crawlDelayMs: null };

export function parseRobots(text: string, productToken: string = ROBOTS_PRODUCT_TOKEN): RobotsRules {
  const token = productToken.toLowerCase();
  const groups: Array<{ agents: string[]; rules: Rule[]; delay: number | null }> = [];
  let current: (typeof groups)[number] | null = null;
  let inAgentLines = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!inAgentLines || current === null) {
        current = { agents: [], rules: [], delay: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      inAgentLines = true;
      continue;
    }
    inAgentLines = false;
    if (current === null) continue;
    if ((key === 'allow' || key === 'disallow') && value !== '') {
      current.rules.push({ allow: key === 'allow', pattern: value, regex: patternRegex(value) });
    } else if (key === 'crawl-delay' && Number.isFinite(Number(value))) {
      current.delay = Number(value) * 1000;
    }
  }
  const specific = groups.filter((g) => g.agents.includes(token));
  const chosen = specific.length > 0 ? specific : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delays = chosen.map((g) => g.delay).filter((d): d is number => d !== null);
  return {
    crawlDelayMs: delays.length > 0 ? Math.max(...delays) : null,
    isAllowed(url) {
      if (url.pathname === '/robots.txt') return true;
      const target = url.pathname + url.search;
      let best: Rule | null = null;
      for (const rule of rules) {
        if (!rule.regex.test(target)) continue;
        const longer = best === null || rule.pattern.length > best.pattern.length;
        if (longer || (rule.pattern.length === best?.pattern.length && rule.allow)) best = rule;
      }
      return best === null || best.allow;
    },
  };
}

/** `/private/*.pdf$` → /^\/private\/.*\.pdf$/ ; patterns match from the start of the path. */
function patternRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => encodePath(part).replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Rules may be written with raw UTF-8 characters; URLs carry them percent-encoded. */
function encodePath(part: string): string {
  return part.replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch));
}

export interface RobotsOutcome {
  readonly rules: RobotsRules;
  /** Set when robots.txt could not be read (then everything is disallowed for this host). */
  readonly failure?: FetchFailure;
}

export async function fetchRobots(
  origin: URL,
  opts: { timeoutMs: number; userAgent: string; signal?: AbortSignal | undefined },
): Promise<RobotsOutcome> {
  const url = new URL('/robots.txt', origin);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal === undefined ? timeout : AbortSignal.any([timeout, opts.signal]);
  const unreachable = (reason: FetchFailure['reason'], message: string, status?: number): RobotsOutcome => ({
    rules: DISALLOW_ALL,
    failure: {
      kind: 'failed',
      url: url.href,
      reason,
      message: `${message}; robots.txt unreadable, so nothing on this host is fetched`,
      ...(status !== undefined ? { status } : {}),
    },
  });
  try {
    // Redirects stay on the host (RFC 9309 §2.3.1.2 follows at least five); addresses are checked as for any fetch.
    const followed = await followRedirects(url, { userAgent: opts.userAgent, vetRedirect: sameHost(url) }, signal);
    if ('kind' in followed) return unreachable(followed.reason, followed.message);
    const { response } = followed;
    if (response.status >= 400 && response.status < 500) {
      await response.body?.cancel();
      return { rules: ALLOW_ALL };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return unreachable('http-status', `HTTP ${response.status}`, response.status);
    }
    return { rules: parseRobots(new TextDecoder().decode(await readCapped(response, MAX_ROBOTS_BYTES))) };
  } catch (error) {
    if (timeout.aborted) return unreachable('timeout', `no response within ${opts.timeoutMs} ms`);
    return unreachable('network', errorMessage(error));
  }
}

function sameHost(origin: URL): (target: URL) => Promise<string | null> {
  return (target) =>
    Promise.resolve(target.host === origin.host ? null : `robots.txt moved to another host (${target.host})`);
}

/** The first `cap` bytes of the body; the rest is never read (a robots.txt of gigabytes costs nothing). */
async function readCapped(response: Response, cap: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < cap) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, cap);
}
