import { readFileSync } from 'node:fs';
import type { ChildPool, Worker } from 'bullmq';

/**
 * The env variable of a job process's memory budget: its WHOLE resident memory (V8 heap, native
 * memory of OCR and image libraries, its threads and child processes), checked during every job
 * (watch-job-process.ts). 0 turns the check off.
 */
export const JOB_RSS_BUDGET_ENV = 'DOCQ_JOB_RSS_BUDGET_MB';
/** The env variable of the job process's V8 heap cap, which is also the size above which it is replaced between jobs. */
export const JOB_HEAP_ENV = 'DOCQ_JOB_HEAP_MB';
/**
 * Default budget. Measured (docs/memory.md): a job process stays under 700 MB over 10,000
 * born-digital reports; OCR of a whole scan or phone-photo report in one process peaks at
 * ≈ 0.7–1.1 GB. Twice the largest legitimate peak measured, so no real report is stopped.
 */
export const DEFAULT_JOB_RSS_BUDGET_MB = 2048;

export interface JobMemoryLimits {
  /** Whole-RSS budget during a job (0: not checked). */
  readonly budgetMb: number;
  /** V8 heap cap, and the RSS above which a process is replaced between jobs (0: neither). */
  readonly heapMb: number;
}

function megabytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`${name} must be a number of MB ≥ 0 (got "${raw}")`);
  return mb;
}

/**
 * The limits from the environment; a bad value is refused by name. The heap cap defaults to half the
 * budget: a process that holds half its budget after a job is replaced before it starts the next,
 * so every job starts with at least half the budget free for native memory.
 */
export function jobMemoryLimits(env: NodeJS.ProcessEnv = process.env): JobMemoryLimits {
  const budgetMb = megabytes(env, JOB_RSS_BUDGET_ENV, DEFAULT_JOB_RSS_BUDGET_MB);
  return { budgetMb, heapMb: megabytes(env, JOB_HEAP_ENV, Math.round(budgetMb / 2)) };
}

/**
 * Resident memory of a process in MB from /proc (Linux, where docq's workers run), or null where
 * there is no /proc. One read of a small file between jobs: no library needed for it.
 */
export function residentMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** The pool of sandboxed job processes inside a BullMQ Worker (private there; stable since bullmq 2). */
interface PoolHolder {
  readonly childPool?: ChildPool;
}

/**
 * A safety net for long unattended runs (issue 14): a job process whose resident memory is past
 * `thresholdMb` (DOCQ_JOB_HEAP_MB) when it finishes a job is stopped instead of being handed the next
 * one, and BullMQ forks a fresh process for the next job. It is done where the Worker returns the
 * process to its pool (ChildPool.release), so no job is ever started on a process that is being
 * stopped. During a job, the whole budget is enforced by watch-job-process.ts.
 */
export function retireJobProcesses(
  worker: Worker,
  thresholdMb: number,
  onRetire: (pid: number, rssMb: number) => void,
): void {
  const pool = (worker as unknown as PoolHolder).childPool;
  if (pool === undefined || thresholdMb <= 0) return;
  const release = pool.release.bind(pool);
  pool.release = (child) => {
    const rss = residentMb(child.pid);
    if (rss === null || rss <= thresholdMb) {
      release(child);
      return;
    }
    onRetire(child.pid, rss);
    // kill() takes it out of the pool first; SIGTERM, then SIGKILL after BullMQ's grace period.
    void pool.kill(child, 'SIGTERM').catch(() => undefined);
  };
}

/** A job process needs ≈ 100–150 MB of heap to start and read a report: a smaller budget still recycles, but caps no lower. */
const MIN_HEAP_CAP_MB = 256;

/** The job process's V8 heap cap for DOCQ_JOB_HEAP_MB (0: none). */
export function heapCapMb(heapMb: number): number {
  return heapMb > 0 ? Math.max(Math.round(heapMb), MIN_HEAP_CAP_MB) : 0;
}

/** The V8 flag that caps a job process's heap: a runaway document fails fast with a heap abort instead of taking the machine. */
export function heapCapArgs(heapMb: number): string[] {
  return heapMb > 0 ? [`--max-old-space-size=${heapCapMb(heapMb)}`] : [];
}

/**
 * The error to record when a document's last try ended with its job process killed by V8's heap
 * limit (an abort: SIGABRT, exit code 134), or null for any other failure. Every try ran in a fresh
 * process, so it is the document that needs more than the budget, not memory an earlier job left.
 */
export function outOfMemoryError(message: string, heapMb: number): { code: string; message: string } | null {
  if (!/Unexpected exit code: (134|null signal: SIGABRT)/.test(message)) return null;
  return {
    code: 'TOO_LARGE',
    message: `the document needs more memory than a job process may use: its process was stopped at the heap limit of ${heapCapMb(heapMb)} MB (${JOB_HEAP_ENV}) on every try (${message})`,
  };
}
