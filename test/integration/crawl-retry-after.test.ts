import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlStateModel } from '../../models/crawl-state.model.js';
import type { CrawlJobData } from '../../producers/crawl-schedule.js';
import { createCrawlProcessor } from '../../producers/crawl.processor.js';
import { createExtractQueue } from '../../queue/create-extract-queue.js';
import { startTestMongo } from '../helpers/mongo.js';
import { startTestRedis } from '../helpers/redis.js';
import { crawlSite, type CrawledDocument, type RetryAfterWait } from '../../producers/crawl-site.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, type FetchFailure } from '../../producers/fetch-document.js';
import { createHostRateLimit } from '../../producers/host-rate-limit.js';
import { makePdf } from './crawl-test-site.js';
import { allowTestServer } from '../helpers/allow-crawl.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('Mon, 06 Jan 2025 08:00:00 GMT');
  it('reads delta-seconds and HTTP-dates, caps long pauses, and ignores anything else', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 06 Jan 2025 08:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Monday, 06-Jan-25 08:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfter('Mon Jan  6 08:00:09 2025', now)).toBe(9_000);
    expect(parseRetryAfter('Mon, 06 Jan 2025 07:00:00 GMT', now)).toBe(0); // already past
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Tue, 07 Jan 2025 08:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    for (const bad of [null, '', '-1', '1.5', 'soon', '2025-01-06T08:00:05Z'])
      expect(parseRetryAfter(bad, now)).toBe(undefined);
  });
});

/**
 * A site whose index links four PDFs: `busy.pdf` answers 429 `Retry-After: 1` once, `down.pdf` 503
 * with an HTTP-date two seconds ahead once, `refusing.pdf` always 429 `Retry-After: 0`, `plain.pdf`
 * 429 without Retry-After. Every request is logged with its arrival time.
 */
describe('a crawl honours Retry-After on 429 and 503', () => {
  let server: Server;
  let root: string;
  let blobDir: string;
  const requests: { path: string; at: number; status: number }[] = [];
  const served = new Map<string, number>();

  beforeAll(async () => {
    blobDir = await mkdtemp(join(tmpdir(), 'docq-retry-after-'));
    const pdf = await makePdf('retry after');
    const pdfB = await makePdf('retry after, down for maintenance');
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const times = (served.get(path) ?? 0) + 1;
      served.set(path, times);
      const answer = (status: number, headers: Record<string, string> = {}, body: Uint8Array | string = ''): void => {
        requests.push({ path, at: Date.now(), status });
        res.writeHead(status, headers).end(body);
      };
      if (path === '/robots.txt') return answer(404);
      if (path === '/')
        return answer(
          200,
          { 'content-type': 'text/html' },
          '<a href="/busy.pdf">a</a><a href="/down.pdf">b</a><a href="/refusing.pdf">c</a><a href="/plain.pdf">d</a>',
        );
      if (path === '/busy.pdf' && times === 1) return answer(429, { 'retry-after': '1' });
      if (path === '/busy.pdf') return answer(200, { 'content-type': 'application/pdf' }, pdf);
      if (path === '/down.pdf' && times === 1)
        // An HTTP-date has whole seconds: 3 s ahead is at least 2 s away.
        return answer(503, { 'retry-after': new Date(Date.now() + 3_000).toUTCString() });
      if (path === '/down.pdf') return answer(200, { 'content-type': 'application/pdf' }, pdfB);
      if (path === '/refusing.pdf') return answer(429, { 'retry-after': '0' });
      if (path === '/plain.pdf') return answer(429);
      return answer(404);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    allowTestServer(server);
    const address = server.address();
    root = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(blobDir, { recursive: true, force: true });
  });

  it('pauses the host for the given time, retries, records each wait, and gives up on a server that keeps refusing', async () => {
    const queued: CrawledDocument[] = [];
    const failures: FetchFailure[] = [];
    const waits: RetryAfterWait[] = [];
    const summary = await crawlSite(
      { name: 'retry', url: root, depth: 1, max: 10, minIntervalMs: 0, timeoutMs: 5_000, maxBytes: 1 << 20 },
      {
        blobDir,
        state: { get: async () => null, save: async () => undefined },
        rateLimit: createHostRateLimit(0),
        queueDocument: async (doc) => void queued.push(doc),
        recordFailure: async (failure) => void failures.push(failure),
        recordRetryAfter: async (wait) => void waits.push(wait),
      },
    );

    expect(queued.map((d) => new URL(d.url).pathname).sort()).toEqual(['/busy.pdf', '/down.pdf']);
    // Each pause holds back every request to the host, not only the refused URL's retry.
    const after = (path: string, status: number): number =>
      requests.find((r) => r.path === path && r.status === status)?.at ?? NaN;
    const next = (at: number): number => requests.find((r) => r.at > at)?.at ?? NaN;
    const busy = after('/busy.pdf', 429);
    expect(next(busy) - busy).toBeGreaterThanOrEqual(1_000 - 5);
    const down = after('/down.pdf', 503);
    expect(next(down) - down).toBeGreaterThanOrEqual(2_000 - 5);
    expect(requests.filter((r) => r.at > busy && r.at < busy + 1_000 - 5)).toEqual([]);

    expect(waits.map((w) => [new URL(w.url).pathname, w.status])).toEqual([
      ['/busy.pdf', 429],
      ['/down.pdf', 503],
      ['/refusing.pdf', 429],
      ['/refusing.pdf', 429],
    ]);
    expect(waits[0]?.waitMs).toBe(1_000);
    expect(waits[1]?.waitMs).toBeGreaterThanOrEqual(2_000);
    // Still refused after its retries, or refused without Retry-After: a failure on the run as before.
    expect(failures.map((f) => [new URL(f.url).pathname, f.status]).sort()).toEqual([
      ['/plain.pdf', 429],
      ['/refusing.pdf', 429],
    ]);
    expect(requests.filter((r) => r.path === '/refusing.pdf')).toHaveLength(3);
    expect(requests.filter((r) => r.path === '/plain.pdf')).toHaveLength(1);
    expect(summary).toMatchObject({ queuedNew: 2, failed: 2, retryAfterWaits: 4 });
  });

  it('the crawl job records each wait on its run', async () => {
    served.clear();
    const [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    const extractQueue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    try {
      const CrawlState = crawlStateModel(mongo.db.models.connection);
      const process = createCrawlProcessor({
        models: mongo.db.models,
        CrawlState,
        extractQueue,
        blobDir,
        pipelineVersion: 'test',
      });
      const data: CrawlJobData = {
        name: 'retry-run',
        url: root,
        depth: 1,
        max: 10,
        allow: '/(busy|plain)\\.pdf$',
        minIntervalMs: 0,
        timeoutMs: 5_000,
        maxBytes: 1 << 20,
      };
      const job = {
        id: 'retry-run-1',
        data,
        log: async () => 0,
        updateProgress: async () => undefined,
      } as unknown as Job<CrawlJobData>;
      const result = await process(job);
      expect(result).toMatchObject({ queuedNew: 1, failed: 1, retryAfterWaits: 1 });
      const run = await mongo.db.models.IngestRun.findOne({ runId: result.runId }).lean();
      expect(run?.counts).toMatchObject({ retryAfterWaits: 1, fetchFailed: 1 });
      expect(run?.retryAfterWaits).toEqual([
        expect.objectContaining({
          url: `${root}busy.pdf`,
          code: 'HTTP_429',
          reason: expect.stringMatching(/Retry-After: 1.*paused 1 s/),
        }),
      ]);
      expect(run?.fetchFailures).toEqual([expect.objectContaining({ url: `${root}plain.pdf`, code: 'HTTP_429' })]);
    } finally {
      await extractQueue.close();
      await mongo.cleanup();
      await redis.cleanup();
    }
  });
});
