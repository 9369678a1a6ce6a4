import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { createExtractQueue, queuePrefix, type ExtractQueue } from '../../queue/index.js';
import { startExtractWorker, type RunningWorker } from '../../workers/start-extract-worker.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

describe('a queue serves the database its jobs were queued for', () => {
  it('the default prefix carries the embedded database directory; a real MongoDB keeps the shared one', () => {
    const a = queuePrefix({ DOCQ_DATA_DIR: '/data/a' });
    expect(a).toMatch(/^docq-[0-9a-f]{10}$/);
    expect(queuePrefix({ DOCQ_DATA_DIR: '/data/b' })).not.toBe(a);
    expect(queuePrefix({ DOCQ_DATA_DIR: '/data/a/' })).toBe(a);
    expect(queuePrefix({ MONGODB_URI: 'mongodb://db:27017/docq', DOCQ_DATA_DIR: '/data/a' })).toBe('docq');
    expect(queuePrefix({ DOCQ_QUEUE_PREFIX: 'mine', DOCQ_DATA_DIR: '/data/a' })).toBe('mine');
  });

  describe('one Redis and prefix, two databases (real Redis, embedded servers)', () => {
    let redis: TestRedis;
    let a: TestMongo;
    let b: TestMongo;
    let queue: ExtractQueue;
    let worker: RunningWorker;
    let dir: string;
    const lines: string[] = [];
    beforeAll(async () => {
      [redis, a, b] = await Promise.all([startTestRedis(), startTestMongo(), startTestMongo()]);
      queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
      dir = await mkdtemp(join(tmpdir(), 'docq-two-dbs-'));
    });
    afterAll(async () => {
      await worker?.close(5_000);
      await queue.close();
      await Promise.all([a.cleanup(), b.cleanup()]);
      await redis.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    it('a worker refuses a job whose run is not in its database and writes nothing there', async () => {
      await copyFile('/work/shared/corpus/dev/synth-1-0/digital.pdf', join(dir, 'a.pdf'));
      const run = await ingestFolder({ roots: [dir], models: a.db.models, queue, pipelineVersion: PIPELINE_VERSION });
      expect(run.queuedNow).toBe(1);
      worker = await startExtractWorker({
        mongoUri: b.uri,
        redisUrl: redis.url,
        prefix: redis.prefix,
        sandboxed: false,
        log: (l) => lines.push(l),
      });
      const deadline = Date.now() + 60_000;
      while (!lines.some((l) => l.includes('RUN_NOT_IN_DATABASE'))) {
        if (Date.now() > deadline) throw new Error(`no refusal:\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500)); // the failed handler's database writes, if any
      expect(await b.db.models.Document.countDocuments({})).toBe(0);
      expect(await b.db.models.Page.countDocuments({})).toBe(0);
      expect((await a.db.models.Document.findOne({}).lean())?.status).toBe('queued');
    });
  });
});
