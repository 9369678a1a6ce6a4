import { readFileSync, readdirSync } from 'node:fs';
import { ChildCommand, ParentCommand, type ChildPool, type Worker } from 'bullmq';
import { JOB_RSS_BUDGET_ENV, residentMb } from './retire-job-process.js';

/**
 * How often the worker looks at its running job processes. Reading /proc/<pid>/status is ≈ 20 µs;
 * a decoded page grows a process by at most a few hundred MB in a quarter second.
 */
export const WATCH_INTERVAL_MS = 250;
/** The env variable of a job's wall-time limit (ms); by default the document deadline plus JOB_DEADLINE_GRACE_MS. */
export const JOB_DEADLINE_ENV = 'DOCQ_JOB_DEADLINE_MS';
/**
 * Beyond the document deadline a job may still open the file, start the OCR engine, assemble, check and
 * save (seconds); a job past this has ignored its own deadlines (a loop that never yields, a native
 * call that never returns) and only stopping its process ends it.
 */
export const JOB_DEADLINE_GRACE_MS = 120_000;

/** A job's wall-time limit from the environment: DOCQ_JOB_DEADLINE_MS, or the document deadline plus the grace. */
export function jobDeadlineMs(documentTimeoutMs: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[JOB_DEADLINE_ENV];
  if (raw === undefined || raw === '') return documentTimeoutMs + JOB_DEADLINE_GRACE_MS;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`${JOB_DEADLINE_ENV} must be a number of ms > 0 (got "${raw}")`);
  return ms;
}

/** What the watchdog did to a job: its process was stopped over the memory budget or past the job deadline. */
export interface JobStop {
  readonly jobId: string;
  readonly pid: number;
  readonly code: 'TOO_LARGE' | 'TIMEOUT';
  readonly message: string;
}

/** The code and reason of a job the watchdog stopped, from its failure message; null for any other failure. */
export function stoppedJobError(message: string): { code: JobStop['code']; message: string } | null {
  const m = /^(TOO_LARGE|TIMEOUT): (.*)$/s.exec(message);
  return m ? { code: m[1] as JobStop['code'], message: m[2] ?? '' } : null;
}

interface Running {
  readonly jobId: string;
  readonly attemptsMade: number;
  readonly startedAt: number;
  /** Largest resident MB of the process tree sampled during this job. */
  peakMb: number;
}

/** Peaks kept for the worker's job line; a run that ends without one (a fan-out parent's first run) is trimmed. */
const MAX_KEPT_PEAKS = 1000;

export interface JobWatch {
  stop(): void;
  /** The largest resident MB sampled during a job's last run (read once, after the run ended). */
  peakMb(jobId: string | undefined): number | undefined;
}

interface WatchedChild {
  readonly pid: number;
  send(msg: unknown): Promise<void>;
  emit(event: 'message', msg: unknown): boolean;
}

interface PoolInternals {
  retained: Record<number, WatchedChild>;
  retain(file: string): Promise<WatchedChild>;
  release(child: WatchedChild): void;
  kill(child: WatchedChild, signal?: NodeJS.Signals): Promise<void>;
}

/** pids of a process's children (every thread's), from /proc; empty where there is no /proc. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** A process and all its descendants (the native `tesseract` a job process runs counts in its memory). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childPids(out[i] ?? 0));
  return out;
}

/** Resident MB of a process tree (each process's VmRSS; threads are inside their process's). */
export function treeResidentMb(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (residentMb(pid) ?? 0), 0);
}

/**
 * The job processes' budget enforced DURING a job (issue 14): every WATCH_INTERVAL_MS the worker (the
 * parent, whose own event loop a busy job cannot block) reads the resident memory of each job process
 * running a job, its native children included, and the time the job has run. A job process past
 * `budgetMb` or past `deadlineMs` is killed with its children (SIGKILL: a process past its budget may
 * not get the time to clean up) and its job fails with `TOO_LARGE` or `TIMEOUT` and the reason.
 * A job stopped for time is not retried (it has ignored its deadlines once and would again); one
 * stopped for memory is retried once in a fresh process (memory an earlier job left behind), then
 * fails for good. The worker forks a fresh process for its next job.
 *
 * BullMQ keeps the job-to-process link inside its sandbox; it is taken here from the Start message
 * the worker sends to the process, and the failure is delivered as the process would report it.
 */
export function watchJobProcesses(
  worker: Worker,
  limits: { readonly budgetMb: number; readonly deadlineMs: number },
  onStop: (stop: JobStop) => void,
): JobWatch {
  const pool = (worker as unknown as { childPool?: ChildPool }).childPool as unknown as PoolInternals | undefined;
  if (pool === undefined) return { stop: () => undefined, peakMb: () => undefined };
  const running = new Map<number, Running>();
  const peaks = new Map<string, number>();
  const ended = (job: Running): void => {
    peaks.set(job.jobId, job.peakMb);
    if (peaks.size > MAX_KEPT_PEAKS) peaks.delete(peaks.keys().next().value ?? '');
  };
  const stopping = new WeakSet<WatchedChild>();
  const watched = new WeakSet<WatchedChild>();

  const retain = pool.retain.bind(pool);
  pool.retain = async (file) => {
    const child = await retain(file);
    if (!watched.has(child)) {
      watched.add(child);
      const send = child.send.bind(child);
      child.send = (msg) => {
        const m = msg as { cmd?: unknown; job?: { id?: unknown; attemptsMade?: unknown } };
        if (m.cmd === ChildCommand.Start)
          running.set(child.pid, {
            jobId: String(m.job?.id ?? '?'),
            attemptsMade: Number(m.job?.attemptsMade ?? 0),
            startedAt: Date.now(),
            peakMb: 0,
          });
        return send(msg);
      };
    }
    return child;
  };
  // A process being stopped never goes back to the pool, though its exit is not seen yet.
  const release = pool.release.bind(pool);
  pool.release = (child) => {
    const job = running.get(child.pid);
    if (job !== undefined) {
      // Once more at the end: a job shorter than one interval was never sampled.
      job.peakMb = Math.max(job.peakMb, treeResidentMb(processTree(child.pid)));
      ended(job);
    }
    running.delete(child.pid);
    if (!stopping.has(child)) release(child);
  };

  const stopJob = (child: WatchedChild, job: Running, code: JobStop['code'], reason: string): void => {
    stopping.add(child);
    ended(job);
    running.delete(child.pid);
    const tree = processTree(child.pid);
    for (const pid of tree.slice(1).reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    void pool.kill(child, 'SIGKILL').catch(() => undefined);
    const final = code === 'TIMEOUT' || job.attemptsMade >= 1;
    const message = `${code}: ${reason}; its job process was stopped${final ? '' : ' (tried once more in a fresh process)'}`;
    onStop({ jobId: job.jobId, pid: child.pid, code, message });
    // The failure as the sandbox reports a job that threw: BullMQ fails (or retries) the job at once.
    child.emit('message', {
      cmd: ParentCommand.Failed,
      value: { name: final ? 'UnrecoverableError' : 'Error', message, stack: '' },
    });
  };

  const timer = setInterval(() => {
    const now = Date.now();
    for (const child of Object.values(pool.retained)) {
      const job = running.get(child.pid);
      if (job === undefined || stopping.has(child)) continue;
      const ranMs = now - job.startedAt;
      if (ranMs > limits.deadlineMs) {
        stopJob(
          child,
          job,
          'TIMEOUT',
          `the job ran ${Math.round(ranMs / 1000)} s, past its deadline of ${limits.deadlineMs / 1000} s (${JOB_DEADLINE_ENV})`,
        );
        continue;
      }
      const rss = treeResidentMb(processTree(child.pid));
      job.peakMb = Math.max(job.peakMb, rss);
      if (limits.budgetMb > 0 && rss > limits.budgetMb)
        stopJob(
          child,
          job,
          'TOO_LARGE',
          `the document needs more memory than a job process may use: ${Math.round(rss)} MB resident during the job (native memory and child processes included), past the budget of ${limits.budgetMb} MB (${JOB_RSS_BUDGET_ENV})`,
        );
    }
  }, WATCH_INTERVAL_MS);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    peakMb: (jobId) => {
      const mb = jobId === undefined ? undefined : peaks.get(jobId);
      if (jobId !== undefined) peaks.delete(jobId);
      return mb;
    },
  };
}
