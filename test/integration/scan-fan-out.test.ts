import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { watchRun } from '../../producers/watch-run.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startExtractWorker, type RunningWorker } from '../../workers/start-extract-worker.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';

const SCAN = '/work/shared/corpus/dev/synth-2019-0/scan-light.pdf'; // 3 image-only pages

describe('a multi-page scan fans out into page-range jobs', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let queue: ExtractQueue;
  let worker: RunningWorker;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    dir = await mkdtemp(join(tmpdir(), 'docq-fanout-'));
    worker = await startExtractWorker({
      mongoUri: mongo.uri,
      redisUrl: redis.url,
      prefix: redis.prefix,
      concurrency: 2,
      // One page per child; page 3's child fails for good (an unreadable page).
      env: {
        DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
        DOCQ_COUNT_FILE: join(dir, 'calls.txt'),
        DOCQ_PAGES_PER_CHILD: '1',
        DOCQ_FAIL_PAGE: '3',
      },
      log: (l) => lines.push(l),
    });
  });

  afterAll(async () => {
    if (process.env['DEBUG_FANOUT']) console.log(lines.join('\n'));
    await worker?.close(5_000);
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'reads pages in children, records a failed child as a failed page, and completes the document as needs_review',
    { timeout: 240_000 },
    async () => {
      const input = join(dir, 'in');
      await import('node:fs/promises').then((fs) => fs.mkdir(input));
      await copyFile(SCAN, join(input, 'scan.pdf'));
      const queued = await ingestFolder({
        roots: [input],
        models: mongo.db.models,
        queue,
        pipelineVersion: PIPELINE_VERSION,
      });
      const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 250 });
      expect(final).toMatchObject({ complete: true, queued: 1, needsReview: 1 });

      const { Document, Page, PagePartial } = mongo.db.models;
      const doc = await Document.findOne({}).lean();
      expect(doc).toMatchObject({ status: 'needs_review', pageCount: 3 });
      expect(doc?.problems.some((p) => p.code === 'PAGE_FAILED' && p.page === 3)).toBe(true);
      const pages = await Page.find({ sha256: doc?.sha256 }).sort({ number: 1 }).lean();
      expect(pages.map((p) => p.method)).toEqual(['ocr', 'ocr', 'failed']);
      expect(doc?.flagKinds).toContain('page-failed');
      // Partials are cleaned up once assembled.
      expect(await PagePartial.countDocuments({})).toBe(0);
      // Page 1 in the parent, pages 2 and 3 in their own children (3 failed without retries).
      const calls = (await readFile(join(dir, 'calls.txt'), 'utf8'))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split(' ')[1]);
      expect(calls.sort()).toEqual(['1-1', '2-2', '3-3']);
      expect(lines.some((l) => /^pages .* failed \(attempt 1, final\)/.test(l))).toBe(true);
      // The parent job completed (not stuck waiting for its failed child).
      expect(await queue.getJobCounts('waiting-children', 'active', 'waiting')).toEqual({
        'waiting-children': 0,
        active: 0,
        waiting: 0,
      });
    },
  );
});
