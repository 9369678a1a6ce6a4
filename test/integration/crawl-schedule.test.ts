import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import type { ModelsConnection } from '../../models/index.js';
import { crawlStateModel } from '../../models/crawl-state.model.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/create-extract-queue.js';
import { documentJobId } from '../../queue/job-ids.js';
import type { DocumentJobData } from '../../queue/job-data.js';
import {
  addCrawl,
  createCrawlQueue,
  listCrawls,
  removeCrawl,
  runCrawlNow,
  type CrawlQueue,
} from '../../producers/crawl-schedule.js';
import type { CrawlSpec } from '../../producers/crawl-site.js';
import type { CrawlJobResult } from '../../producers/crawl.processor.js';
import { runCrawlWorker, type RunningCrawlWorker } from '../../producers/crawl-worker.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { FIRST_CRAWL_DOCUMENTS, sha256, startTestSite, type TestSite } from './crawl-test-site.js';

const CORPUS_PDF = new URL('../../../shared/corpus/dev/synth-21x-0/digital.pdf', import.meta.url).pathname;
/** About one crawl of the test site (~3.5 s, most of it the two timeouts); ticks never overlap (concurrency 1). */
const EVERY_MS = 3_000;
/** Far below the slow link's delay, far above a local fetch on a busy two-core machine. */
const FETCH_TIMEOUT_MS = 1_500;

describe('scheduled crawls on real Redis and the embedded MongoDB', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let db: ModelsConnection;
  let site: TestSite;
  let dir: string;
  let crawlQueue: CrawlQueue;
  let extractQueue: ExtractQueue;
  let crawler: RunningCrawlWorker;
  /** Finished crawl runs in order, with when their job started and ended. */
  const finished: Array<CrawlJobResult & { startedAt: number; endedAt: number }> = [];
  const startedAfter = (t: number) => finished.filter((r) => r.startedAt > t);
  let changedRun: CrawlJobResult | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docq-crawl-'));
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    db = mongo.db;
    site = await startTestSite(CORPUS_PDF);
    const opts = { url: redis.url, prefix: redis.prefix };
    crawlQueue = createCrawlQueue(opts);
    extractQueue = createExtractQueue(opts);
    // One crawl at a time, so a tick can never overlap the previous run of the same crawl.
    crawler = await runCrawlWorker({
      mongoUri: mongo.uri,
      redisUrl: redis.url,
      prefix: redis.prefix,
      blobDir: join(dir, 'blobs'),
      pipelineVersion: PIPELINE_VERSION,
      concurrency: 1,
    });
    const worker: Worker<CrawlSpec, CrawlJobResult> = crawler.worker;
    worker.on('completed', (job, result) =>
      finished.push({ ...result, startedAt: job.processedOn ?? 0, endedAt: job.finishedOn ?? Date.now() }),
    );
  });

  afterAll(async () => {
    await crawler?.close();
    await crawlQueue?.close();
    await extractQueue?.close();
    await site?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const spec = (name: string): CrawlSpec => ({
    name,
    url: site.url,
    depth: 2,
    max: 50,
    minIntervalMs: 5,
    timeoutMs: FETCH_TIMEOUT_MS,
    maxBytes: 2 * 1024 * 1024,
  });

  async function queuedDocuments(): Promise<DocumentJobData[]> {
    const jobs = await extractQueue.getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.map((j) => j.data as DocumentJobData);
  }

  it('the schedule fires: new documents are queued once, failures recorded on the run', async () => {
    const added = await addCrawl(crawlQueue, spec('site'), { every: EVERY_MS });
    expect('code' in added).toBe(false);
    expect((await listCrawls(crawlQueue)).map((c) => [c.spec.name, c.schedule])).toEqual([
      ['site', { every: EVERY_MS }],
    ]);

    await waitFor(() => finished.length >= 1, 20_000);
    const first = finished[0];
    expect(first).toMatchObject({ queuedNew: 7, queuedChanged: 0, failed: 5, duplicates: 1, alreadyDone: 0 });

    const docs = await queuedDocuments();
    expect(docs.map((d) => new URL(d.url ?? '').pathname).sort()).toEqual(FIRST_CRAWL_DOCUMENTS);
    for (const d of docs) {
      expect(d).toMatchObject({ crawlId: 'site', runId: first?.runId, pipelineVersion: PIPELINE_VERSION });
      expect(d.path).toBe(join(dir, 'blobs', d.sha256));
      expect((await extractQueue.getJob(documentJobId(d.sha256, PIPELINE_VERSION)))?.data.sha256).toBe(d.sha256);
    }

    const run = await db.models.IngestRun.findOne({ runId: first?.runId }).lean();
    expect(run).toMatchObject({ kind: 'crawl', crawlId: 'site', roots: [site.url], status: 'running' });
    expect(run?.counts).toMatchObject({ queued: 7, files: 7, fetchFailed: 5 });
    expect(run?.fetchFailures.map((f) => [new URL(f.url ?? '').pathname, f.code]).sort()).toEqual([
      ['/reports/big.pdf', 'TOO_LARGE'],
      ['/reports/fake.pdf', 'NOT_A_DOCUMENT'],
      ['/reports/missing.pdf', 'HTTP_404'],
      ['/reports/slow.pdf', 'TIMEOUT'],
      ['/reports/stalled.pdf', 'TIMEOUT'],
    ]);
    expect(await crawlStateModel(db.models.connection).countDocuments({ crawlId: 'site' })).toBe(8);
    // Each queued document is on record as queued in this run, as `docq ingest` leaves them.
    const records = await db.models.Document.find({ runId: first?.runId }).lean();
    expect(records.map((r) => r.status)).toEqual(Array(7).fill('queued'));
    expect(records.every((r) => r.source.crawlId === 'site' && r.source.url !== undefined)).toBe(true);
  });

  it('the next tick queues only the changed file; the one after queues nothing', async () => {
    // Ticks keep coming while we look; a run under way at the change may or may not see it, the
    // first run that starts after it must, and exactly one run queues it.
    const changedAt = Date.now();
    await site.changeFile();
    const changedSha = sha256(site.documents.get('/reports/changing.pdf') ?? new Uint8Array());
    await waitFor(() => startedAfter(changedAt).length >= 1, 20_000);
    const changed = finished.filter((r) => r.queuedChanged > 0);
    expect(changed).toHaveLength(1);
    changedRun = changed[0];
    expect(changedRun).toMatchObject({ queuedNew: 0, queuedChanged: 1, unchanged: 7, failed: 5 });
    const docs = await queuedDocuments();
    expect(docs).toHaveLength(8);
    expect(docs.filter((d) => d.sha256 === changedSha).map((d) => d.runId)).toEqual([changedRun?.runId]);
    const run = await db.models.IngestRun.findOne({ runId: changedRun?.runId }).lean();
    expect(run?.counts).toMatchObject({ queued: 1, fetchFailed: 5 });

    const changedEnded = finished.find((r) => r.runId === changedRun?.runId)?.endedAt ?? 0;
    await waitFor(() => startedAfter(changedEnded).length >= 1, 20_000);
    const after = startedAfter(changedEnded)[0];
    expect(after).toMatchObject({ queuedNew: 0, queuedChanged: 0, unchanged: 8, failed: 5 });
    expect(await queuedDocuments()).toHaveLength(8);
    const quiet = await db.models.IngestRun.findOne({ runId: after?.runId }).lean();
    expect(quiet?.status).toBe('complete');
    // The server was asked "changed since?" for the files it gave validators for.
    expect(site.requests.some((r) => r.path === '/reports/a.pdf' && r.ifNoneMatch !== undefined)).toBe(true);
  });

  it('a later run closes earlier runs whose documents finished; remove stops the schedule', async () => {
    // The two runs that queued documents stay open while those are unfinished (ticks keep refreshing them).
    const waiting = [finished[0]?.runId ?? '', changedRun?.runId ?? ''];
    const open = await db.models.IngestRun.find({ runId: { $in: waiting } }).lean();
    expect(open.map((r) => r.status)).toEqual(['running', 'running']);
    // As if the extract workers had finished everything queued so far.
    for (const d of await queuedDocuments()) {
      await db.models.Document.updateOne(
        { sha256: d.sha256 },
        { $set: { status: 'done', pipelineVersion: PIPELINE_VERSION } },
      );
    }
    const nowId = await runCrawlNow(crawlQueue, 'site');
    await waitFor(() => finished.some((r) => r.runId === `crawl-${String(nowId)}`), 20_000);
    const closed = await db.models.IngestRun.find({ runId: { $in: waiting } }).lean();
    expect(closed.map((r) => r.status)).toEqual(['complete', 'complete']);
    const first = await db.models.IngestRun.findOne({ runId: finished[0]?.runId }).lean();
    expect(first).toMatchObject({ status: 'complete', counts: { queued: 7, done: 7 } });

    expect(await removeCrawl(crawlQueue, 'site')).toBe(true);
    expect(await listCrawls(crawlQueue)).toEqual([]);
    expect(await removeCrawl(crawlQueue, 'site')).toMatchObject({ code: 'NO_SUCH_CRAWL' });
    expect(await runCrawlNow(crawlQueue, 'site')).toMatchObject({ code: 'NO_SUCH_CRAWL' });
  });

  it('run-now of another crawl counts documents already extracted instead of queueing them', async () => {
    const before = finished.length;
    await addCrawl(crawlQueue, spec('mirror'), { cron: '0 0 1 1 *' });
    const jobId = await runCrawlNow(crawlQueue, 'mirror');
    expect(typeof jobId).toBe('string');
    await waitFor(() => finished.some((r, i) => i >= before && r.runId === `crawl-${String(jobId)}`), 20_000);
    const mirror = finished.find((r) => r.runId === `crawl-${String(jobId)}`);
    // New to this crawl, but the bytes were extracted already: counted, not queued.
    expect(mirror).toMatchObject({ queuedNew: 7, alreadyDone: 7, failed: 5 });
    expect(await queuedDocuments()).toHaveLength(8);
    const run = await db.models.IngestRun.findOne({ runId: mirror?.runId }).lean();
    expect(run).toMatchObject({ status: 'complete', counts: { alreadyDone: 7, queued: 0 } });
    await removeCrawl(crawlQueue, 'mirror');
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
