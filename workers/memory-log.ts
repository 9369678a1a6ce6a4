import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

/** One sample of a job process's memory, in MB (process.memoryUsage; threads' heaps count only in rss). */
export interface MemorySample {
  readonly pid: number;
  readonly jobs: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
  /** The idle PDF reader threads' V8 heaps in use (part of rssMb, not of heapUsedMb). */
  readonly readerHeapsMb: readonly number[];
}

const DEFAULT_EVERY = 100;

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

export function memorySample(jobs: number, readerHeaps: readonly number[] = []): MemorySample {
  const m = process.memoryUsage();
  return {
    pid: process.pid,
    jobs,
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    readerHeapsMb: readerHeaps.map(mb),
  };
}

/**
 * A diagnostic for long runs (issue 14), off unless DOCQ_MEMORY_LOG names a file: after every
 * DOCQ_MEMORY_LOG_EVERY jobs (100) the job process appends one JSON line of its memory there, and
 * at the job counts in DOCQ_HEAPSNAPSHOT_AT (e.g. `500,2500`) writes a V8 heap snapshot beside it
 * (`heap-<pid>-<jobs>.heapsnapshot`), to compare what is retained by constructor.
 * Returns the callback to run after each job, or null when off.
 */
export function memoryLog(env: NodeJS.ProcessEnv = process.env): ((readerHeaps?: readonly number[]) => void) | null {
  const file = env['DOCQ_MEMORY_LOG'];
  if (file === undefined || file === '') return null;
  const every = Number(env['DOCQ_MEMORY_LOG_EVERY']);
  const interval = Number.isInteger(every) && every > 0 ? every : DEFAULT_EVERY;
  const snapshots = new Set(
    (env['DOCQ_HEAPSNAPSHOT_AT'] ?? '')
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
  );
  let jobs = 0;
  const write = (readerHeaps?: readonly number[]): void =>
    appendFileSync(file, `${JSON.stringify(memorySample(jobs, readerHeaps))}\n`);
  write(); // the baseline: the process before its first job
  return (readerHeaps) => {
    jobs++;
    if (jobs % interval === 0) write(readerHeaps);
    if (snapshots.has(jobs)) writeHeapSnapshot(join(dirname(file), `heap-${process.pid}-${jobs}.heapsnapshot`));
  };
}
