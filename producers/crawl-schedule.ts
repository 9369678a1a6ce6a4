import { Queue, type JobsOptions, type RepeatOptions } from 'bullmq';
import { connectionOptions, redisUrl } from '../queue/connection.js';
import { CRAWL_QUEUE, queuePrefix } from '../queue/names.js';
import type { CrawlSpec } from './crawl-site.js';

/**
 * Crawls are BullMQ job schedulers on the crawl queue: the scheduler (in Redis) holds the crawl's
 * definition as its job template and adds one crawl job per tick, so any number of workers on any
 * number of machines share the schedule without coordinating among themselves.
 */

export const CRAWL_JOB_NAME = 'crawl';
export type CrawlJobData = CrawlSpec;
// Name type `string`: BullMQ types the scheduler id with the job-name type too.
export type CrawlQueue = Queue<CrawlJobData, unknown, string>;

export type CrawlSchedule = { readonly every: number } | { readonly cron: string; readonly tz?: string | undefined };

export interface CrawlInfo {
  readonly spec: CrawlSpec;
  readonly schedule: CrawlSchedule;
  /** When the next crawl job becomes due (ms since the epoch), if known. */
  readonly next: number | null;
  /** Crawl jobs the scheduler has created so far (the one waiting for `next` included). */
  readonly ticks: number;
}

export interface CrawlError {
  readonly code: 'BAD_CRAWL' | 'NO_SUCH_CRAWL';
  readonly message: string;
}

/** A day between crawls: report archives change a few times a year. */
export const DEFAULT_CRAWL_EVERY_MS = 24 * 3600 * 1000;
/** Index page → article page → attachment is the usual layout of disclosure sites. */
export const DEFAULT_CRAWL_DEPTH = 2;
export const DEFAULT_CRAWL_MAX = 200;
/** One request a second per host: polite to small government web servers. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;
/** The same ceiling the core applies to an input. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;
/** Shorter than this the scheduler would crawl a site continuously. */
const MIN_EVERY_MS = 1_000;

/** Crawl jobs retry when Redis or MongoDB is briefly down; fetch failures never throw. */
export const CRAWL_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
  removeOnComplete: { count: 200 },
  removeOnFail: { count: 500 },
};

export function createCrawlQueue(opts: { url?: string; prefix?: string } = {}): CrawlQueue {
  return new Queue<CrawlJobData, unknown, string>(CRAWL_QUEUE, {
    connection: connectionOptions(opts.url ?? redisUrl()),
    prefix: opts.prefix ?? queuePrefix(),
    defaultJobOptions: CRAWL_JOB_OPTIONS,
  });
}

export function schedulerId(name: string): string {
  return `crawl-${name}`;
}

/** `90s`, `30m`, `6h`, `1d`, `2w` or plain milliseconds. */
export function parseEvery(text: string): number | CrawlError {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
  if (match === null)
    return { code: 'BAD_CRAWL', message: `--every "${text}" is not a duration such as 30m, 6h or 1d` };
  const ms = Math.round(Number(match[1]) * unit[(match[2] ?? 'ms') as keyof typeof unit]);
  if (ms < MIN_EVERY_MS) return { code: 'BAD_CRAWL', message: `--every must be at least ${MIN_EVERY_MS} ms` };
  return ms;
}

/** Checks a crawl definition read from the CLI or back from Redis; returns it with defaults filled. */
export function parseCrawlSpec(value: unknown): CrawlSpec | CrawlError {
  if (typeof value !== 'object' || value === null) return bad('the crawl definition is not an object');
  const v = value as Record<string, unknown>;
  const name = v['name'];
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    return bad('the name must be 1–64 letters, digits, ".", "_" or "-"');
  }
  let url: URL;
  try {
    url = new URL(String(v['url']));
  } catch {
    return bad(`--url "${String(v['url'])}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('--url must be http or https');
  const allow = v['allow'];
  if (allow !== undefined && allow !== null && allow !== '') {
    if (typeof allow !== 'string') return bad('--allow must be a regular expression');
    try {
      new RegExp(allow);
    } catch (error) {
      return bad(`--allow is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const spec: CrawlSpec = {
    name,
    url: url.href,
    depth: integer(v['depth'], DEFAULT_CRAWL_DEPTH),
    max: integer(v['max'], DEFAULT_CRAWL_MAX),
    ...(typeof allow === 'string' && allow !== '' ? { allow } : {}),
    minIntervalMs: integer(v['minIntervalMs'], DEFAULT_MIN_INTERVAL_MS),
    timeoutMs: integer(v['timeoutMs'], DEFAULT_FETCH_TIMEOUT_MS),
    maxBytes: integer(v['maxBytes'], DEFAULT_MAX_DOWNLOAD_BYTES),
    ...(v['respectRobots'] === false ? { respectRobots: false } : {}),
  };
  if (spec.depth < 0 || spec.max < 1 || spec.timeoutMs < 1 || spec.maxBytes < 1 || spec.minIntervalMs < 0) {
    return bad('depth must be ≥ 0; max, timeout and size limit ≥ 1');
  }
  return spec;
}

export async function addCrawl(
  queue: CrawlQueue,
  spec: CrawlSpec,
  schedule: CrawlSchedule,
): Promise<CrawlInfo | CrawlError> {
  const repeat: RepeatOptions =
    'every' in schedule
      ? { every: schedule.every }
      : { pattern: schedule.cron, ...(schedule.tz !== undefined ? { tz: schedule.tz } : {}) };
  try {
    const first = await queue.upsertJobScheduler(schedulerId(spec.name), repeat, {
      name: CRAWL_JOB_NAME,
      data: spec,
      opts: CRAWL_JOB_OPTIONS,
    });
    return { spec, schedule, next: first === undefined ? null : first.timestamp + (first.opts.delay ?? 0), ticks: 0 };
  } catch (error) {
    // BullMQ validates the cron pattern (cron-parser) and reports it by throwing.
    return bad(`the schedule was refused: ${(error as Error).message}`);
  }
}

export async function listCrawls(queue: CrawlQueue): Promise<CrawlInfo[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  const crawls: CrawlInfo[] = [];
  for (const scheduler of schedulers) {
    const spec = parseCrawlSpec(scheduler.template?.data);
    if ('code' in spec) continue;
    const schedule: CrawlSchedule =
      scheduler.every !== undefined
        ? { every: scheduler.every }
        : { cron: scheduler.pattern ?? '', ...(scheduler.tz !== undefined ? { tz: scheduler.tz } : {}) };
    crawls.push({ spec, schedule, next: scheduler.next ?? null, ticks: scheduler.iterationCount ?? 0 });
  }
  return crawls.sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

export async function removeCrawl(queue: CrawlQueue, name: string): Promise<true | CrawlError> {
  const removed = await queue.removeJobScheduler(schedulerId(name));
  return removed ? true : { code: 'NO_SUCH_CRAWL', message: `no crawl named "${name}"` };
}

/** Adds one crawl job now, outside the schedule; returns its job id. */
export async function runCrawlNow(queue: CrawlQueue, name: string): Promise<string | CrawlError> {
  const scheduler = await queue.getJobScheduler(schedulerId(name));
  const spec = parseCrawlSpec(scheduler?.template?.data);
  if (scheduler === undefined || 'code' in spec) return { code: 'NO_SUCH_CRAWL', message: `no crawl named "${name}"` };
  const job = await queue.add(CRAWL_JOB_NAME, spec, { ...CRAWL_JOB_OPTIONS, jobId: `crawl-${name}-now-${Date.now()}` });
  return job.id ?? '';
}

function integer(value: unknown, fallback: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : fallback;
}

function bad(message: string): CrawlError {
  return { code: 'BAD_CRAWL', message };
}
