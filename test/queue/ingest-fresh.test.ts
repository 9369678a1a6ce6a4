import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { createExtractQueue, documentJobId, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

describe('ingest tells a job whether its document is new (real Redis, embedded server)', () => {
  let mongo: TestMongo;
  let redis: TestRedis;
  let queue: ExtractQueue;
  let dir: string;
  beforeAll(async () => {
    mongo = await startTestMongo();
    redis = await startTestRedis();
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    dir = await mkdtemp(join(tmpdir(), 'docq-fresh-'));
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.cleanup();
    await mongo.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('a document without a record is fresh; one an older pipeline finished is not', async () => {
    const models = mongo.db.models;
    await writeFile(join(dir, 'new.pdf'), '%PDF-1.4 new\n');
    await writeFile(join(dir, 'old.pdf'), '%PDF-1.4 old\n');
    const first = await ingestFolder({ roots: [join(dir, 'old.pdf')], models, queue, pipelineVersion: '1' });
    expect(first.queuedNow).toBe(1);
    const [oldRecord] = await models.Document.find({}).lean();
    await models.Document.updateOne({ sha256: oldRecord?.sha256 }, { $set: { status: 'done', pipelineVersion: '1' } });

    const run = await ingestFolder({ roots: [dir], models, queue, pipelineVersion: '2' });
    expect(run.queuedNow).toBe(2);
    const records = await models.Document.find({}, { sha256: 1, source: 1 }).lean();
    const fresh = async (name: string): Promise<unknown> => {
      const sha256 = records.find((r) => r.source.path === join(dir, name))?.sha256 ?? '';
      return ((await queue.getJob(documentJobId(sha256, '2')))?.data as { fresh?: boolean }).fresh;
    };
    expect(await fresh('new.pdf')).toBe(true);
    expect(await fresh('old.pdf')).toBeUndefined();
  });
});
