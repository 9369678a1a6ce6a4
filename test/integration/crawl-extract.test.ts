import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { addCrawl, createCrawlQueue, type CrawlQueue } from '../../producers/crawl-schedule.js';
import type { CrawlJobResult } from '../../producers/crawl.processor.js';
import { runCrawlWorker, type RunningCrawlWorker } from '../../producers/crawl-worker.js';
import { watchRun } from '../../producers/watch-run.js';
import { startExtractWorker, type RunningWorker } from '../../workers/start-extract-worker.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { sha256, startTestSite, type TestSite } from './crawl-test-site.js';

const CORPUS_PDF = new URL('../../../shared/corpus/dev/synth-2019-0/digital.pdf', import.meta.url).pathname;

describe('crawl → extract worker → MongoDB (real Redis, embedded MongoDB, real core)', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let site: TestSite;
  let dir: string;
  let crawlQueue: CrawlQueue;
  let crawler: RunningCrawlWorker;
  let extractor: RunningWorker;
  const results: CrawlJobResult[] = [];

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    dir = await mkdtemp(join(tmpdir(), 'docq-crawl-e2e-'));
    site = await startTestSite(CORPUS_PDF);
    crawlQueue = createCrawlQueue({ url: redis.url, prefix: redis.prefix });
    const common = { mongoUri: mongo.uri, redisUrl: redis.url, prefix: redis.prefix };
    crawler = await runCrawlWorker({ ...common, blobDir: join(dir, 'blobs'), pipelineVersion: PIPELINE_VERSION });
    crawler.worker.on('completed', (_job, result) => results.push(result));
    extractor = await startExtractWorker({ ...common, concurrency: 1, log: () => undefined });
  });

  afterAll(async () => {
    await crawler?.close();
    await extractor?.close(5_000);
    await crawlQueue?.close();
    await site?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('every crawled document ends in MongoDB with its source URL, and the crawl run completes', async () => {
    // A daily schedule fires its first run at once. Three documents and one 404 are within the pattern.
    const added = await addCrawl(
      crawlQueue,
      {
        name: 'e2e',
        url: site.url,
        depth: 1,
        max: 10,
        allow: '/reports/(a|b|corpus|missing)\\.pdf$',
        minIntervalMs: 5,
        timeoutMs: 2_000,
        maxBytes: 10 * 1024 * 1024,
      },
      { every: 24 * 3600 * 1000 },
    );
    expect('code' in added).toBe(false);
    const deadline = Date.now() + 30_000;
    while (results.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const crawl = results[0];
    expect(crawl).toMatchObject({ queuedNew: 3, failed: 1 });

    const progress = await watchRun(mongo.db.models, crawl?.runId ?? '', { pollMs: 200 });
    expect(progress).toMatchObject({ complete: true, queued: 3, failed: 0 });

    const docs = await mongo.db.models.Document.find({ runId: crawl?.runId }).lean();
    const byPath = new Map(docs.map((d) => [new URL(d.source.url ?? '').pathname, d]));
    expect([...byPath.keys()].sort()).toEqual(['/reports/a.pdf', '/reports/b.pdf', '/reports/corpus.pdf']);
    for (const [path, doc] of byPath) {
      expect(doc.sha256).toBe(sha256(site.documents.get(path) ?? new Uint8Array()));
      expect(doc.source).toMatchObject({ crawlId: 'e2e', path: join(dir, 'blobs', doc.sha256) });
      expect(['done', 'needs_review']).toContain(doc.status);
      expect(doc.pipelineVersion).toBe(PIPELINE_VERSION);
    }
    // The real annual report was read through: its pages and report are stored.
    const corpus = byPath.get('/reports/corpus.pdf');
    expect(corpus?.summary.pages).toBeGreaterThan(1);
    expect(await mongo.db.models.Report.countDocuments({ sha256: corpus?.sha256 })).toBe(1);

    const run = await mongo.db.models.IngestRun.findOne({ runId: crawl?.runId }).lean();
    expect(run).toMatchObject({ kind: 'crawl', status: 'complete', counts: { queued: 3, fetchFailed: 1 } });
    expect(run?.fetchFailures).toEqual([expect.objectContaining({ code: 'HTTP_404' })]);
  });
});
