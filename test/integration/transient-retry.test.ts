import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { watchRun } from '../../producers/watch-run.js';
import { createExtractQueue, documentJobId, type ExtractQueue } from '../../queue/index.js';
import { startExtractWorker, type RunningWorker } from '../../workers/start-extract-worker.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';

describe('a transient fault is retried with backoff', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let queue: ExtractQueue;
  let worker: RunningWorker;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    dir = await mkdtemp(join(tmpdir(), 'docq-retry-'));
    worker = await startExtractWorker({
      mongoUri: mongo.uri,
      redisUrl: redis.url,
      prefix: redis.prefix,
      env: {
        DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
        DOCQ_COUNT_FILE: join(dir, 'calls.txt'),
        DOCQ_FLAKY_MARKER: join(dir, 'flaky'),
      },
      log: (l) => lines.push(l),
    });
  });

  afterAll(async () => {
    await worker?.close(5_000);
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the first attempt, succeeds on the second, and stores the document once', async () => {
    await mkdir(join(dir, 'in'));
    await copyFile('/work/shared/corpus/dev/synth-2019-2/digital.pdf', join(dir, 'in', 'a.pdf'));
    const queued = await ingestFolder({
      roots: [join(dir, 'in')],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 200 });
    expect(final).toMatchObject({ complete: true, queued: 1, failed: 0 });
    expect(lines.some((l) => /failed \(attempt 1, will retry\): simulated transient fault/.test(l))).toBe(true);
    const doc = await mongo.db.models.Document.findOne({}).lean();
    expect(doc?.attempts).toBe(2);
    expect(['done', 'needs_review']).toContain(doc?.status);
    const job = await queue.getJob(documentJobId(doc?.sha256 ?? '', PIPELINE_VERSION));
    expect(job?.attemptsMade).toBe(2);
    expect((await readFile(join(dir, 'calls.txt'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });
});
