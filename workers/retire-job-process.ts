import { readFileSync } from 'node:fs';
import type { ChildPool, Worker } from 'bullmq';

/** The env variable of the job process memory budget (MB of resident memory, checked between jobs). */
export const JOB_RSS_BUDGET_ENV = 'DOCQ_JOB_RSS_BUDGET_MB';
/**
 * Default budget: above any steady state measured (a job process stayed under 700 MB over 10,000
 * born-digital reports, bench/archive) and above one page reader's heap budget (512 MB) on top of
 * the process's own ≈ 300 MB; replacing a process costs ≈ 1 s.
 */
export const DEFAULT_JOB_RSS_BUDGET_MB = 1024;

/** The budget from the environment; 0 turns recycling off. A bad value is refused by name. */
export function jobRssBudgetMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[JOB_RSS_BUDGET_ENV];
  if (raw === undefined || raw === '') return DEFAULT_JOB_RSS_BUDGET_MB;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb < 0)
    throw new Error(`${JOB_RSS_BUDGET_ENV} must be a number of MB ≥ 0 (got "${raw}")`);
  return mb;
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
 * `budgetMb` when it finishes a job is stopped instead of being handed the next one, and BullMQ forks
 * a fresh process for the next job. It is done where the Worker returns the process to its pool
 * (ChildPool.release), so no job is ever started on a process that is being stopped. A single
 * document that needs more than the budget still finishes (its page readers have their own heap
 * budget, DOCQ_MEMORY_BUDGET_MB); only then is its process replaced.
 */
export function retireJobProcesses(
  worker: Worker,
  budgetMb: number,
  onRetire: (pid: number, rssMb: number) => void,
): void {
  const pool = (worker as unknown as PoolHolder).childPool;
  if (pool === undefined || budgetMb <= 0) return;
  const release = pool.release.bind(pool);
  pool.release = (child) => {
    const rss = residentMb(child.pid);
    if (rss === null || rss <= budgetMb) {
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

/** The job process's V8 heap cap for a budget (0: none). */
export function heapCapMb(budgetMb: number): number {
  return budgetMb > 0 ? Math.max(Math.round(budgetMb), MIN_HEAP_CAP_MB) : 0;
}

/** The V8 flag that caps a job process's heap at the budget: a runaway document fails fast instead of taking the machine. */
export function heapCapArgs(budgetMb: number): string[] {
  return budgetMb > 0 ? [`--max-old-space-size=${heapCapMb(budgetMb)}`] : [];
}

/**
 * The error to record when a document's last try ended with its job process killed by V8's heap
 * limit (an abort: SIGABRT, exit code 134), or null for any other failure. Every try ran in a fresh
 * process, so it is the document that needs more than the budget, not memory an earlier job left.
 */
export function outOfMemoryError(message: string, budgetMb: number): { code: string; message: string } | null {
  if (!/Unexpected exit code: (134|null signal: SIGABRT)/.test(message)) return null;
  return {
    code: 'TOO_LARGE',
    message: `the document needs more memory than a job process may use: its process was stopped at the heap limit of ${heapCapMb(budgetMb)} MB (${JOB_RSS_BUDGET_ENV}) on every try (${message})`,
  };
}
