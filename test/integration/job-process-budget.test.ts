import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { jobMemoryLimits, outOfMemoryError, residentMb } from '../../workers/retire-job-process.js';
import { jobDeadlineMs, processTree, stoppedJobError, treeResidentMb } from '../../workers/watch-job-process.js';
import { COUNTING_EXTRACTOR } from './fixtures/spawn-worker.js';
import { ingestFiles, startWorkerStack, type WorkerStack } from './fixtures/worker-stack.js';

const HUNGRY_EXTRACTOR = fileURLToPath(new URL('./fixtures/hungry-extractor.ts', import.meta.url));
const MISBEHAVING_EXTRACTOR = fileURLToPath(new URL('./fixtures/misbehaving-extractor.ts', import.meta.url));
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
        DOCQ_JOB_HEAP_MB: '1',
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
      env: () => ({ DOCQ_EXTRACTOR_MODULE: HUNGRY_EXTRACTOR, DOCQ_JOB_HEAP_MB: '256' }),
    });
    const final = await ingestFiles(stack, {
      'hungry.pdf': `${DEV}/synth-1-0/digital.pdf`,
      'plain.pdf': `${DEV}/synth-1-1/digital.pdf`,
    });
    expect(final).toMatchObject({ complete: true, queued: 2, failed: 1 });
    const docs = await stack.mongo.db.models.Document.find({}, { status: 1, error: 1 }).lean();
    const hungry = docs.find((d) => d.status === 'failed');
    expect(hungry?.error?.code).toBe('TOO_LARGE');
    expect(hungry?.error?.message).toMatch(/heap limit of 256 MB \(DOCQ_JOB_HEAP_MB\) on every try/);
    expect(docs.filter((d) => d.status !== 'failed')).toHaveLength(1);
  }, 300_000);

  it('reads the budget from the environment and refuses a bad one by name', () => {
    expect(outOfMemoryError('Unexpected exit code: null signal: SIGABRT', 512)?.code).toBe('TOO_LARGE');
    expect(outOfMemoryError('Unexpected exit code: 1 signal: null', 512)).toBeNull();
    expect(jobMemoryLimits({})).toEqual({ budgetMb: 2048, heapMb: 1024 });
    expect(jobMemoryLimits({ DOCQ_JOB_RSS_BUDGET_MB: '1500' })).toEqual({ budgetMb: 1500, heapMb: 750 });
    expect(jobMemoryLimits({ DOCQ_JOB_RSS_BUDGET_MB: '0', DOCQ_JOB_HEAP_MB: '300' })).toEqual({
      budgetMb: 0,
      heapMb: 300,
    });
    expect(() => jobMemoryLimits({ DOCQ_JOB_RSS_BUDGET_MB: 'lots' })).toThrow(/DOCQ_JOB_RSS_BUDGET_MB/);
    expect(() => jobMemoryLimits({ DOCQ_JOB_HEAP_MB: '-1' })).toThrow(/DOCQ_JOB_HEAP_MB/);
    const own = residentMb(process.pid);
    expect(own).toBeGreaterThan(10);
    expect(residentMb(2 ** 22 + 7)).toBeNull(); // no such process
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids the misbehaving extractor wrote for `kind`, one per try. */
async function pidsOf(dir: string, kind: string): Promise<number[]> {
  return (await readdir(join(dir, 'pids'))).filter((f) => f.startsWith(`${kind}.`)).map((f) => Number(f.split('.')[1]));
}

describe('a job process is watched DURING its job: whole RSS and wall time', () => {
  let stack: WorkerStack | undefined;
  afterEach(async () => {
    await stack?.cleanup();
    stack = undefined;
  });

  const start = async (env: Record<string, string>): Promise<WorkerStack> => {
    const s = await startWorkerStack({
      env: (dir) => ({ DOCQ_EXTRACTOR_MODULE: MISBEHAVING_EXTRACTOR, DOCQ_PID_DIR: join(dir, 'pids'), ...env }),
    });
    await mkdir(join(s.dir, 'pids'));
    return s;
  };

  it('stops a job whose process grows past the budget in native memory mid-job: TOO_LARGE after a second try, and the worker serves the next job', async () => {
    stack = await start({ DOCQ_JOB_RSS_BUDGET_MB: '1024' });
    const final = await ingestFiles(stack, {
      'native-hungry.pdf': `${DEV}/synth-1-0/digital.pdf`,
      'plain.pdf': `${DEV}/synth-1-1/digital.pdf`,
    });
    expect(final).toMatchObject({ complete: true, queued: 2, failed: 1 });
    const docs = await stack.mongo.db.models.Document.find({}, { status: 1, error: 1, source: 1 }).lean();
    const hungry = docs.find((d) => d.source.path?.endsWith('native-hungry.pdf'));
    expect(hungry?.status).toBe('failed');
    expect(hungry?.error?.code).toBe('TOO_LARGE');
    expect(hungry?.error?.message).toMatch(
      /MB resident during the job .* past the budget of 1024 MB \(DOCQ_JOB_RSS_BUDGET_MB\)/,
    );
    expect(docs.find((d) => d.source.path?.endsWith('plain.pdf'))?.status).not.toBe('failed');
    // Two tries, each in its own process, each stopped by the worker: none is left running.
    const pids = await pidsOf(stack.dir, 'native-hungry');
    expect(pids).toHaveLength(2);
    // A killed process takes a moment to exit and be reaped: poll, bounded.
    await expect.poll(() => pids.filter(alive), { timeout: 15_000 }).toEqual([]);
    const stops = stack.lines.filter((l) => / stopped: TOO_LARGE: /.test(l));
    expect(stops).toHaveLength(2);
    // Stopped near the budget, not at the fixture's 6 GB ceiling: the main thread never yielded.
    const mb = stops.map((l) => Number(/: (\d+) MB resident/.exec(l)?.[1]));
    for (const m of mb) expect(m).toBeGreaterThan(1024);
    for (const m of mb) expect(m).toBeLessThan(2560);
  }, 300_000);

  it('a fanned-out scan whose page-range job grows past the budget keeps page 1; the stopped pages are PAGE_TOO_LARGE', async () => {
    stack = await start({ DOCQ_JOB_RSS_BUDGET_MB: '1536' });
    const final = await ingestFiles(stack, { 'native-hungry-scan.pdf': `${DEV}/synth-1-0/scan-light.pdf` });
    expect(final).toMatchObject({ complete: true, queued: 1, failed: 0 });
    const { Document, Page } = stack.mongo.db.models;
    const doc = await Document.findOne({}, { sha256: 1, status: 1, problems: 1 }).lean();
    expect(doc?.status).toBe('needs_review');
    const stopped = doc?.problems.filter((p) => p.code === 'PAGE_TOO_LARGE') ?? [];
    expect(stopped.map((p) => p.page).sort()).toEqual([2, 3]);
    expect(stopped[0]?.message).toMatch(/past the budget of 1536 MB \(DOCQ_JOB_RSS_BUDGET_MB\)/);
    const pages = await Page.find({ sha256: doc?.sha256 }).sort({ number: 1 }).lean();
    expect(pages.map((p) => p.method)).toEqual(['ocr', 'failed', 'failed']);
    const pids = await pidsOf(stack.dir, 'native-hungry');
    expect(pids).toHaveLength(2); // the child tried twice, each in a fresh process
    // A killed process takes a moment to exit and be reaped: poll, bounded.
    await expect.poll(() => pids.filter(alive), { timeout: 15_000 }).toEqual([]);
  }, 300_000);

  it('stops a job past its deadline whose main thread never yields: TIMEOUT at once, no retry, and the worker serves the next job', async () => {
    stack = await start({ DOCQ_JOB_DEADLINE_MS: '60000' });
    const final = await ingestFiles(stack, {
      'plain.pdf': `${DEV}/synth-1-1/digital.pdf`,
      'stuck.pdf': `${DEV}/synth-1-0/digital.pdf`,
      'zz-plain.pdf': `${DEV}/synth-2019-1/digital.pdf`,
    });
    expect(final).toMatchObject({ complete: true, queued: 3, failed: 1 });
    const docs = await stack.mongo.db.models.Document.find({}, { status: 1, error: 1, source: 1 }).lean();
    const stuck = docs.find((d) => d.source.path?.endsWith('stuck.pdf'));
    expect(stuck?.error?.code).toBe('TIMEOUT');
    expect(stuck?.error?.message).toMatch(/past its deadline of 60 s \(DOCQ_JOB_DEADLINE_MS\)/);
    expect(docs.filter((d) => d.status === 'failed')).toHaveLength(1);
    const pids = await pidsOf(stack.dir, 'stuck');
    expect(pids).toHaveLength(1);
    await expect.poll(() => alive(pids[0] ?? 0), { timeout: 15_000 }).toBe(false);
    // Each finished job's own run time is logged beside its deadline (a cold job process under tsx takes ≈ 20 s to start on a loaded machine: hence 60 s).
    const runs = (): string[] =>
      stack?.lines.filter((l) =>
        /^document \w+ (done|needs_review) .* ran=\d+ms deadline=60000ms rss=\d+MB$/.test(l),
      ) ?? [];
    // The run counts a document once it is saved; its job's line comes a moment later.
    const until = Date.now() + 15_000;
    while (runs().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(runs()).toHaveLength(2);
  }, 300_000);

  it('counts a job process with its native children, and reads the limits from the environment', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      const tree = processTree(process.pid);
      expect(tree[0]).toBe(process.pid);
      expect(tree).toContain(sleeper.pid);
      expect(treeResidentMb(tree)).toBeGreaterThan(residentMb(process.pid) ?? 0);
    } finally {
      sleeper.kill('SIGKILL');
    }
    expect(jobDeadlineMs(900_000, {})).toBe(1_020_000);
    expect(jobDeadlineMs(900_000, { DOCQ_JOB_DEADLINE_MS: '5000' })).toBe(5000);
    expect(() => jobDeadlineMs(900_000, { DOCQ_JOB_DEADLINE_MS: 'soon' })).toThrow(/DOCQ_JOB_DEADLINE_MS/);
    expect(stoppedJobError('TIMEOUT: the job ran 5 s')).toEqual({ code: 'TIMEOUT', message: 'the job ran 5 s' });
    expect(stoppedJobError('Unexpected exit code: null signal: SIGKILL')).toBeNull();
  });
});
