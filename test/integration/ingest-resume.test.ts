import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';
import { callsPerDocument } from './fixtures/worker-stack.js';

const DEV = '/work/shared/corpus/dev';
const CLI = fileURLToPath(new URL('../../cli/docq.ts', import.meta.url));

interface CliRun {
  readonly output: string[];
  readonly exited: Promise<number | null>;
  readonly pid: number;
}

function runCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const collect = (chunk: Buffer): void =>
    void output.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    );
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { output, pid: child.pid ?? 0, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe('docq ingest interrupted with Ctrl-C and run again', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    dir = await mkdtemp(join(tmpdir(), 'docq-resume-'));
    await mkdir(join(dir, 'in'));
    for (const name of ['synth-2019-0', 'synth-2019-1', 'synth-2019-2', 'synth-21x-0'])
      await copyFile(join(DEV, `${name}/digital.pdf`), join(dir, 'in', `${name}.pdf`));
    env = {
      MONGODB_URI: mongo.uri,
      REDIS_URL: redis.url,
      DOCQ_QUEUE_PREFIX: redis.prefix,
      DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
      DOCQ_COUNT_FILE: join(dir, 'calls.txt'),
    };
  });

  afterAll(async () => {
    await mongo?.cleanup();
    await redis?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'resumes the same run: totals match a single run and no document is extracted twice',
    { timeout: 300_000 },
    async () => {
      const first = runCli(['ingest', join(dir, 'in'), '--workers', '1'], env);
      const { Document, IngestRun } = mongo.db.models;
      const deadline = Date.now() + 180_000;
      while ((await Document.countDocuments({ status: 'done' })) < 1) {
        if (Date.now() > deadline) throw new Error(`no document finished:\n${first.output.join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      process.kill(-first.pid, 'SIGINT'); // Ctrl-C in a terminal: the whole process group
      expect(await first.exited).toBe(130);
      const interrupted = await IngestRun.findOne({}).lean();
      expect(interrupted?.status).toBe('interrupted');
      const doneAfterFirst = await Document.countDocuments({ status: { $in: ['done', 'needs_review'] } });
      expect(doneAfterFirst).toBeLessThan(4);

      const second = runCli(['ingest', join(dir, 'in'), '--workers', '1'], env);
      expect(await second.exited).toBe(0);
      expect(second.output.join('\n')).toMatch(new RegExp(`run ${interrupted?.runId} \\(resumed\\)`));
      expect(second.output.join('\n')).toMatch(/complete: 4 documents · \d done · \d need review · 0 failed/);

      expect(await IngestRun.countDocuments({})).toBe(1);
      const run = await IngestRun.findOne({}).lean();
      expect(run).toMatchObject({ status: 'complete', counts: { files: 4, queued: 4, failed: 0 } });
      expect((run?.counts.done ?? 0) + (run?.counts.needsReview ?? 0)).toBe(4);
      const perDoc = await callsPerDocument(join(dir, 'calls.txt'));
      expect(perDoc.size).toBe(4);
      expect([...perDoc.values()]).toEqual([1, 1, 1, 1]);
    },
  );
});
