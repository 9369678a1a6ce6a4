import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { reprocess } from '../../producers/reprocess.js';
import { watchRun } from '../../producers/watch-run.js';
import { startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const DEV = '/work/shared/corpus/dev';

describe('a source that moves keeps its result (real Redis, embedded MongoDB, real core)', () => {
  let stack: WorkerStack;
  let folder: string;

  beforeAll(async () => {
    stack = await startWorkerStack();
    folder = join(stack.dir, 'in');
    await mkdir(folder);
    await copyFile(join(DEV, 'synth-2019-0/digital.pdf'), join(folder, 'a.pdf'));
    await copyFile(join(DEV, 'synth-1-0/digital.pdf'), join(folder, 'b.pdf'));
    const { mongo, queue } = stack;
    const run = await ingestFolder({
      roots: [folder],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    expect(await watchRun(mongo.db.models, run.runId, { pollMs: 200 })).toMatchObject({ complete: true, failed: 0 });
  }, 240_000);
  afterAll(async () => stack?.cleanup());

  async function record(name: string) {
    return stack.mongo.db.models.Document.findOne({ 'source.path': join(folder, name) }).lean();
  }

  it('moved before the reprocess is queued: the result stays, SOURCE_MISSING is recorded and reported', async () => {
    const before = await record('a.pdf');
    expect(['done', 'needs_review']).toContain(before?.status);
    await rename(join(folder, 'a.pdf'), join(stack.dir, 'a-moved.pdf'));
    const result = await reprocess(
      stack.mongo.db.models,
      stack.queue,
      { kind: 'doc', sha256: before?.sha256 ?? '' },
      PIPELINE_VERSION,
    );
    expect(result).toMatchObject({ selected: 1, queued: 0, noSource: 1, kept: 1 });
    const after = await record('a.pdf');
    expect(after?.status).toBe(before?.status);
    expect(after?.summary).toEqual(before?.summary);
    expect(after?.problems.map((p) => p.code)).toContain('SOURCE_MISSING');
    expect(await stack.mongo.db.models.Report.countDocuments({ sha256: before?.sha256 })).toBe(1);
  });

  it('ingest --keep-originals reads from the blob store: deleting the original does not matter', async () => {
    const blobs = join(stack.dir, 'blobs');
    const kept = join(stack.dir, 'kept');
    await mkdir(kept);
    await copyFile(join(DEV, 'synth-2019-1/digital.pdf'), join(kept, 'c.pdf'));
    const { mongo, queue } = stack;
    const run = await ingestFolder({
      roots: [kept],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
      keepOriginals: blobs,
    });
    expect(await watchRun(mongo.db.models, run.runId, { pollMs: 200 })).toMatchObject({ complete: true, failed: 0 });
    const doc = await mongo.db.models.Document.findOne({ 'source.original': join(kept, 'c.pdf') }).lean();
    expect(doc?.source.path).toBe(join(blobs, doc?.sha256 ?? ''));
    await rm(join(kept, 'c.pdf'));
    const again = await reprocess(mongo.db.models, queue, { kind: 'doc', sha256: doc?.sha256 ?? '' }, PIPELINE_VERSION);
    expect(again).toMatchObject({ queued: 1, noSource: 0 });
    expect(await watchRun(mongo.db.models, again.runId, { pollMs: 200 })).toMatchObject({ complete: true, failed: 0 });
  }, 120_000);

  it('moved while its job waits: the worker keeps the last good result instead of failing it', async () => {
    const before = await record('b.pdf');
    expect(['done', 'needs_review']).toContain(before?.status);
    await stack.worker.worker.pause(true);
    const result = await reprocess(
      stack.mongo.db.models,
      stack.queue,
      { kind: 'doc', sha256: before?.sha256 ?? '' },
      PIPELINE_VERSION,
    );
    expect(result).toMatchObject({ queued: 1 });
    await rename(join(folder, 'b.pdf'), join(stack.dir, 'b-moved.pdf'));
    stack.worker.worker.resume();
    const final = await watchRun(stack.mongo.db.models, result.runId, { pollMs: 200 });
    expect(final).toMatchObject({ complete: true, failed: 0 });
    // The run counts the document finished when its status is saved; the problem it met lands with the job's end.
    await expect
      .poll(async () => (await record('b.pdf'))?.problems.map((p) => p.code), { timeout: 30_000 })
      .toContain('SOURCE_MISSING');
    const after = await record('b.pdf');
    expect(after?.status).toBe(before?.status);
    expect(after?.error ?? null).toBeNull();
    expect(after?.problems.map((p) => p.code)).toContain('SOURCE_MISSING');
    expect(await stack.mongo.db.models.Report.countDocuments({ sha256: before?.sha256 })).toBe(1);
  }, 120_000);
});
