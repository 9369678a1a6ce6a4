import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { jobRssBudgetMb, outOfMemoryError, residentMb } from '../../workers/retire-job-process.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';
import { ingestFiles, startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const HUNGRY_EXTRACTOR = fileURLToPath(new URL('./fixtures/hungry-extractor.ts', import.meta.url));
const DEV = '/work/shared/corpus/dev';
const DOCS = ['synth-1-0', 'synth-1-1', 'synth-2019-1'];

/** Ingests three born-digital reports through a one-slot sandboxed worker; returns the job process pid of each extraction. */
async function ingestThree(stack: WorkerStack): Promise<number[]> {
  const final = await ingestFiles(stack, Object.fromEntries(DOCS.map((d) => [`${d}.pdf`, `${DEV}/${d}/digital.pdf`])));
  expect(final).toMatchObject({ complete: true, queued: DOCS.length, failed: 0 });
  const calls = (await readFile(join(stack.dir, 'calls.txt'), 'utf8')).split('\n').filter((l) => l !== '');
  return calls.map((l) => Number(l.split(' ')[2]));
}

describe('job processes past their memory budget are replaced between jobs', () => {
  let stack: WorkerStack | undefined;
  afterEach(async () => {
    await stack?.cleanup();
    stack = undefined;
  });

  it('retires a process over the budget after its job; every document still ends done once', async () => {
    // 1 MB: every job process is past it when its job ends.
    stack = await startWorkerStack({
      env: (dir) => ({
        DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR,
        DOCQ_COUNT_FILE: join(dir, 'calls.txt'),
        DOCQ_JOB_RSS_BUDGET_MB: '1',
      }),
    });
    const pids = await ingestThree(stack);
    expect(pids).toHaveLength(DOCS.length); // each document extracted once: no job ran on a process being stopped
    expect(new Set(pids).size).toBe(DOCS.length);
    // The run counts a document once it is saved; its job (and so the process's release) ends a moment later.
    const retired = (): string[] =>
      stack?.lines.filter((l) => /^job process \d+ retired after its job: \d+ MB resident/.test(l)) ?? [];
    const until = Date.now() + 15_000;
    while (retired().length < DOCS.length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(retired()).toHaveLength(DOCS.length);
    const docs = await stack.mongo.db.models.Document.find({}, { status: 1, attempts: 1 }).lean();
    expect(docs.map((d) => d.attempts)).toEqual([1, 1, 1]);
  });

  it('keeps one process for every job while it stays within the budget', async () => {
    stack = await startWorkerStack({
      env: (dir) => ({ DOCQ_EXTRACTOR_MODULE: COUNTING_EXTRACTOR, DOCQ_COUNT_FILE: join(dir, 'calls.txt') }),
    });
    const pids = await ingestThree(stack);
    expect(new Set(pids).size).toBe(1);
    expect(stack.lines.some((l) => l.includes('retired'))).toBe(false);
  });

  it('caps the job process heap at the budget: a document that needs more fails as TOO_LARGE, and the worker goes on', async () => {
    stack = await startWorkerStack({
      env: () => ({ DOCQ_EXTRACTOR_MODULE: HUNGRY_EXTRACTOR, DOCQ_JOB_RSS_BUDGET_MB: '256' }),
    });
    const final = await ingestFiles(stack, {
      'hungry.pdf': `${DEV}/synth-1-0/digital.pdf`,
      'plain.pdf': `${DEV}/synth-1-1/digital.pdf`,
    });
    expect(final).toMatchObject({ complete: true, queued: 2, failed: 1 });
    const docs = await stack.mongo.db.models.Document.find({}, { status: 1, error: 1 }).lean();
    const hungry = docs.find((d) => d.status === 'failed');
    expect(hungry?.error?.code).toBe('TOO_LARGE');
    expect(hungry?.error?.message).toMatch(/heap limit of 256 MB \(DOCQ_JOB_RSS_BUDGET_MB\) on every try/);
    expect(docs.filter((d) => d.status !== 'failed')).toHaveLength(1);
  }, 300_000);

  it('reads the budget from the environment and refuses a bad one by name', () => {
    expect(outOfMemoryError('Unexpected exit code: null signal: SIGABRT', 512)?.code).toBe('TOO_LARGE');
    expect(outOfMemoryError('Unexpected exit code: 1 signal: null', 512)).toBeNull();
    expect(jobRssBudgetMb({})).toBe(1024);
    expect(jobRssBudgetMb({ DOCQ_JOB_RSS_BUDGET_MB: '0' })).toBe(0);
    expect(() => jobRssBudgetMb({ DOCQ_JOB_RSS_BUDGET_MB: 'lots' })).toThrow(/DOCQ_JOB_RSS_BUDGET_MB/);
    const own = residentMb(process.pid);
    expect(own).toBeGreaterThan(10);
    expect(residentMb(2 ** 22 + 7)).toBeNull(); // no such process
  });
});
