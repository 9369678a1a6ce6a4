import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { reprocess } from '../../producers/reprocess.js';
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

  it("an older pipeline's result is counted and kept, --refresh re-extracts it; only a document without a record is fresh", async () => {
    const models = mongo.db.models;
    await writeFile(join(dir, 'new.pdf'), '%PDF-1.4 new\n');
    await writeFile(join(dir, 'old.pdf'), '%PDF-1.4 old\n');
    const first = await ingestFolder({ roots: [join(dir, 'old.pdf')], models, queue, pipelineVersion: '1' });
    expect(first.queuedNow).toBe(1);
    const [oldRecord] = await models.Document.find({}).lean();
    await models.Document.updateOne({ sha256: oldRecord?.sha256 }, { $set: { status: 'done', pipelineVersion: '1' } });

    const kept = await ingestFolder({ roots: [join(dir, 'old.pdf')], models, queue, pipelineVersion: '2' });
    expect(kept).toMatchObject({ queuedNow: 0, olderPipeline: 1 });
    expect((await models.Document.findOne({ sha256: oldRecord?.sha256 }).lean())?.status).toBe('done');

    const run = await ingestFolder({ roots: [dir], models, queue, pipelineVersion: '2', refresh: true });
    expect(run).toMatchObject({ queuedNow: 2, olderPipeline: 1 });
    const records = await models.Document.find({}, { sha256: 1, source: 1 }).lean();
    const fresh = async (name: string): Promise<unknown> => {
      const sha256 = records.find((r) => r.source.path === join(dir, name))?.sha256 ?? '';
      return ((await queue.getJob(documentJobId(sha256, '2')))?.data as { fresh?: boolean }).fresh;
    };
    expect(await fresh('new.pdf')).toBe(true);
    expect(await fresh('old.pdf')).toBeUndefined();
  });

  it('reprocess --pipeline-older-than selects the documents of older builds', async () => {
    const models = mongo.db.models;
    const [a, b] = await models.Document.find({}, { sha256: 1 }).sort({ sha256: 1 }).lean();
    const finish = (sha256: string | undefined, version: string, day: number) =>
      models.Document.updateOne(
        { sha256 },
        { $set: { status: 'done', pipelineVersion: version, finishedAt: new Date(Date.UTC(2026, 0, day)) } },
      );
    await finish(a?.sha256, '0.1.0+aaaaaaaaaaaa', 1);
    await finish(b?.sha256, '0.1.0+bbbbbbbbbbbb', 2);
    const older = await reprocess(
      models,
      queue,
      { kind: 'pipeline-older-than', version: '0.1.0+bbbbbbbbbbbb' },
      '0.1.0+bbbbbbbbbbbb',
    );
    expect(older).toMatchObject({ selected: 1, queued: 1 });
    const all = await reprocess(models, queue, { kind: 'pipeline-older-than', version: '0.1.0+cccccccccccc' }, 'x');
    expect(all.selected).toBe(2);
  });
});
