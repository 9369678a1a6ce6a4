import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../core/index.js';
import { PIPELINE_VERSION } from '../../core/version.js';
import { ingestFolder } from '../../producers/ingest-folder.js';
import { watchRun } from '../../producers/watch-run.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { COUNTING_EXTRACTOR, spawnWorker, type WorkerProcess } from './fixtures/spawn-worker.js';
import { callsPerDocument } from './fixtures/worker-stack.js';

const DEV = '/work/shared/corpus/dev';
/** Short locks so a killed worker's job is recovered in seconds, not the production 30 s. */
const LOCK_MS = '3000';

async function countLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('worker processes: kill -9, Redis restart, two workers sharing a run', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let queue: ExtractQueue;
  let dir: string;
  let countFile: string;
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    queue.on('error', () => undefined); // connection refused while Redis restarts: expected, ioredis reconnects
    dir = await mkdtemp(join(tmpdir(), 'docq-crash-'));
    countFile = join(dir, 'calls.txt');
    env = {
      MONGODB_URI: mongo.uri,
      REDIS_URL: redis.url,
      DOCQ_QUEUE_PREFIX: redis.prefix,
      DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
      DOCQ_COUNT_FILE: countFile,
      WORKER_LOCK_MS: LOCK_MS,
    };
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('a worker killed mid-document is replaced by another; the document is stored once, as an uninterrupted run stores it', async () => {
    const input = join(dir, 'crash');
    await import('node:fs/promises').then((fs) => fs.mkdir(input));
    await copyFile(join(DEV, 'seed-0/digital.pdf'), join(input, 'five-pages.pdf'));
    const first = spawnWorker(env);
    workers.push(first);
    await first.waitFor(/^ready$/);
    const queued = await ingestFolder({
      roots: [input],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    await until(async () => (await countLines(countFile)).length >= 1);
    first.killHard();

    const second = spawnWorker(env);
    workers.push(second);
    const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 200 });
    expect(final).toMatchObject({ complete: true, queued: 1, failed: 0 });
    expect(second.output.some((l) => /stalled/.test(l))).toBe(true);

    const { Document, Report, Page } = mongo.db.models;
    expect(await Document.countDocuments({})).toBe(1);
    const stored = await Document.findOne({}).lean();
    expect(await Page.countDocuments({ sha256: stored?.sha256 })).toBe(5);
    // Same content as an uninterrupted extraction of the same bytes.
    const reference = await extractDocument({ bytes: new Uint8Array(await readFile(join(input, 'five-pages.pdf'))) });
    expect(stored?.summary).toMatchObject({
      pages: reference.summary.pages,
      cells: reference.summary.cells,
      flagged: reference.summary.flagged,
    });
    const report = await Report.findOne({ sha256: stored?.sha256 }).lean();
    const storedValues = Object.fromEntries((report?.cells ?? []).map((c) => [c.key, c.value]));
    const referenceValues = Object.fromEntries(
      Object.values(reference.report?.cells ?? {}).map((c) => [c.key, c.value]),
    );
    expect(storedValues).toEqual(referenceValues);
    // Extraction started on the killed worker and ran again on the other: two calls, one record.
    expect((await countLines(countFile)).length).toBe(2);
  });

  it('a Redis restart during a run does not stop it', async () => {
    const input = join(dir, 'restart');
    await import('node:fs/promises').then((fs) => fs.mkdir(input));
    await copyFile(join(DEV, 'synth-1-1/digital.pdf'), join(input, 'a.pdf'));
    await copyFile(join(DEV, 'synth-1-2/digital.pdf'), join(input, 'b.pdf'));
    const before = (await countLines(countFile)).length;
    const queued = await ingestFolder({
      roots: [input],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    await until(async () => (await countLines(countFile)).length > before);
    await redis.restart(1_000);
    const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 200 });
    expect(final).toMatchObject({ complete: true, queued: 2, failed: 0 });
    expect(await mongo.db.models.Document.countDocuments({})).toBe(3);
  });

  it('two worker processes share one run without processing a document twice', async () => {
    const extra = spawnWorker(env);
    workers.push(extra);
    await extra.waitFor(/^ready$/);
    const input = join(dir, 'shared');
    await import('node:fs/promises').then((fs) => fs.mkdir(input));
    for (const name of ['synth-2019-0', 'synth-2019-1', 'synth-2019-2', 'synth-21x-0'])
      await copyFile(join(DEV, `${name}/digital.pdf`), join(input, `${name}.pdf`));
    const before = await countLines(countFile);
    const queued = await ingestFolder({
      roots: [input],
      models: mongo.db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
    });
    const final = await watchRun(mongo.db.models, queued.runId, { pollMs: 200 });
    expect(final).toMatchObject({ complete: true, queued: 4, failed: 0 });
    const calls = (await countLines(countFile)).slice(before.length);
    expect([...(await callsPerDocument(countFile, before.length)).values()]).toEqual([1, 1, 1, 1]);
    expect(await mongo.db.models.Document.countDocuments({})).toBe(7);
    const pids = new Set(calls.map((l) => l.split(' ')[2]));
    expect(pids.size).toBeGreaterThanOrEqual(2);
  });
});
