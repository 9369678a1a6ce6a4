import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { connectModels, nextCountDelayMs, refreshRun, type ModelsConnection } from '../models/index.js';
import {
  checkEvictionPolicy,
  connectionOptions,
  createRedis,
  EXTRACT_QUEUE,
  JOB_NAMES,
  parseDocumentJobData,
  isJobDataError,
  queuePrefix,
  redisUrl,
} from '../queue/index.js';
import { createJobContext, type ProcessContext } from './create-job-context.js';
import { RUN_NOT_IN_DATABASE } from './check-run.js';
import { pdftotextMissing } from './probe-scan.js';
import { recordExhausted } from './record-status.js';
import { heapCapArgs, jobMemoryLimits, outOfMemoryError, retireJobProcesses } from './retire-job-process.js';
import { runExtractJob } from './run-extract-job.js';
import { jobDeadlineMs, stoppedJobError, watchJobProcesses } from './watch-job-process.js';
import { DEFAULT_LIMITS, limitsFromEnv } from '../core/intake/limits.js';

/** A job whose lock is not renewed for this long is taken over by another worker (crashed process). */
export const DEFAULT_LOCK_MS = 30_000;
/** A job whose worker died (stalled) is taken over by another worker once; a second stall fails it for good. */
export const MAX_STALLED = 1;
/**
 * Finished jobs are counted into their run at most this often, and slower when counting is slow
 * (nextCountDelayMs): a large run must not keep the database busy counting while jobs wait on it.
 */
export const RUN_REFRESH_MS = 500;
/** Graceful shutdown waits this long for the current jobs before handing them back. */
export const SHUTDOWN_DEADLINE_MS = 30_000;

export interface ExtractWorkerOptions {
  readonly mongoUri: string;
  readonly concurrency?: number;
  readonly redisUrl?: string;
  readonly prefix?: string;
  /** Run jobs in forked processes (default) or in this process (benches of the queue alone). */
  readonly sandboxed?: boolean;
  /**
   * Where the job processes' stdout and stderr go: the terminal (default) or a file, for commands whose
   * terminal shows a progress line (tesseract's and V8's own prints would break into it).
   */
  readonly jobOutput?: string;
  /** Extra environment for the job processes (DOCQ_EXTRACTOR_MODULE, DOCQ_PAGES_PER_CHILD …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningWorker {
  readonly worker: Worker;
  /** Finishes current jobs within `deadlineMs`, then hands the rest back (they are retried elsewhere). */
  close(deadlineMs?: number): Promise<void>;
}

function short(sha256: unknown): string {
  return typeof sha256 === 'string' ? sha256.slice(0, 12) : '?';
}

/** Under tsx/vitest the sources are .ts: fork the processor with the tsx loader; from dist/ plain node. */
function processorLocation(): { file: string; execArgv: string[] | undefined } {
  const source = import.meta.url.endsWith('.ts');
  const file = new URL(source ? './extract.processor.ts' : './extract.processor.js', import.meta.url).pathname;
  // The loader by absolute URL: a bare `tsx` resolves from the working directory, which may be anywhere.
  const tsx = source ? pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href : '';
  return { file, execArgv: source ? ['--import', tsx] : undefined };
}

/** Starts a BullMQ worker on the extract queue: sandboxed processors, retries, stalled recovery, final failures recorded. */
export async function startExtractWorker(opts: ExtractWorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const url = opts.redisUrl ?? redisUrl();
  const prefix = opts.prefix ?? queuePrefix();
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...opts.env,
    MONGODB_URI: opts.mongoUri,
    REDIS_URL: url,
    DOCQ_QUEUE_PREFIX: prefix,
  };

  const { budgetMb, heapMb } = jobMemoryLimits(env);
  const jobDeadline = jobDeadlineMs({ ...DEFAULT_LIMITS, ...limitsFromEnv(env) }.documentTimeoutMs, env);
  const client = createRedis(url);
  const warning = await checkEvictionPolicy(client);
  await client.quit();
  if (warning !== null) log(`warning: ${warning}`);
  const noProbe = pdftotextMissing();
  if (noProbe !== null) log(`warning: ${noProbe}`);

  const db: ModelsConnection = await connectModels({ uri: opts.mongoUri });
  let jobOutput: number | null = null;
  if (opts.jobOutput !== undefined) {
    await mkdir(dirname(opts.jobOutput), { recursive: true });
    jobOutput = openSync(opts.jobOutput, 'a');
  }
  let inProcess: Promise<ProcessContext> | null = null;
  const sandboxed = opts.sandboxed !== false;
  const location = processorLocation();
  const processor = sandboxed
    ? location.file
    : async (job: Job, token?: string) => {
        inProcess ??= createJobContext(env);
        return runExtractJob(job, token, (await inProcess).context);
      };

  const worker = new Worker(EXTRACT_QUEUE, processor, {
    connection: connectionOptions(url),
    prefix,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? DEFAULT_LOCK_MS,
    stalledInterval: opts.stalledIntervalMs ?? opts.lockDurationMs ?? DEFAULT_LOCK_MS,
    maxStalledCount: MAX_STALLED,
    ...(sandboxed
      ? {
          workerForkOptions: {
            env,
            execArgv: [...(location.execArgv ?? process.execArgv), ...heapCapArgs(heapMb)],
            ...(jobOutput !== null ? { stdio: ['ignore', jobOutput, jobOutput, 'ipc'] } : {}),
          },
        }
      : {}),
  });

  // Job lines also go to the job log (with the job processes' own output), where `ingest` keeps them.
  const jobLine = (line: string): void => {
    log(line);
    if (jobOutput !== null) writeSync(jobOutput, `${new Date().toISOString()} ${line}\n`);
  };
  retireJobProcesses(worker, heapMb, (pid, rssMb) =>
    jobLine(
      `job process ${pid} retired after its job: ${Math.round(rssMb)} MB resident, past ${heapMb} MB (DOCQ_JOB_HEAP_MB); the next job starts a fresh one`,
    ),
  );
  const watch = sandboxed
    ? watchJobProcesses(worker, { budgetMb, deadlineMs: jobDeadline }, (stop) =>
        jobLine(`job ${stop.jobId}: process ${stop.pid} stopped: ${stop.message}`),
      )
    : null;
  /** A job run's own time (BullMQ's processedOn → finishedOn) beside its deadline: what bench/fuzz-ingest reads. */
  const ran = (job: Job): string => {
    const peak = watch?.peakMb(job.id);
    return `ran=${job.processedOn !== undefined && job.finishedOn !== undefined ? job.finishedOn - job.processedOn : '?'}ms deadline=${jobDeadline}ms${peak !== undefined ? ` rss=${Math.round(peak)}MB` : ''}`;
  };

  // Runs (ingest, crawl, reprocess) complete when their last document does: re-count after a
  // burst of finished jobs (one aggregation per run per RUN_REFRESH_MS, not one per job).
  const pending = new Map<string, NodeJS.Timeout>();
  const costMs = new Map<string, number>();
  const refresh = (runId: string): Promise<void> => {
    const started = performance.now();
    return refreshRun(db.models, runId).then(
      (progress) => {
        if (progress?.complete) costMs.delete(runId);
        else costMs.set(runId, performance.now() - started);
      },
      (e: unknown) => log(`could not refresh run ${runId}: ${String(e)}`),
    );
  };
  const settle = (data: unknown): void => {
    const runId = (data as { runId?: unknown }).runId;
    if (typeof runId !== 'string' || pending.has(runId)) return;
    pending.set(
      runId,
      setTimeout(
        () => {
          pending.delete(runId);
          void refresh(runId);
        },
        nextCountDelayMs(RUN_REFRESH_MS, costMs.get(runId) ?? 0),
      ),
    );
  };
  worker.on('completed', (job, result: unknown) => {
    if (job.name === JOB_NAMES.document) settle(job.data);
    const outcome = result as { status?: string; pages?: number; ms?: number } | undefined;
    jobLine(
      `${job.name} ${short((job.data as { sha256?: unknown }).sha256)} ${outcome?.status ?? 'ok'} pages=${outcome?.pages ?? '?'} ${outcome?.ms ?? '?'}ms ${ran(job)}`,
    );
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    jobLine(
      `${job.name} ${short((job.data as { sha256?: unknown }).sha256)} failed (attempt ${job.attemptsMade}${final ? ', final' : ', will retry'}): ${error.message.replace(/\s*\n\s*/g, ' ')} ${ran(job)}`,
    );
    // A job refused for another database's run must leave no record in this one.
    if (!final || job.name !== JOB_NAMES.document || error.message.startsWith(RUN_NOT_IN_DATABASE)) return;
    const data = parseDocumentJobData(job.data);
    if (isJobDataError(data)) return;
    const failure = stoppedJobError(error.message) ?? outOfMemoryError(error.message, heapMb);
    recordExhausted(db.models, data, failure?.message ?? error.message, job.attemptsMade, failure?.code)
      .then(() => settle(data))
      .catch((e: unknown) => log(`could not record failure: ${String(e)}`));
  });
  worker.on('stalled', (jobId) => log(`job ${jobId} stalled (its worker died or was blocked); it is retried`));
  worker.on('error', (error) => log(`worker error: ${error.message}`));

  let closing: Promise<void> | null = null;
  return {
    worker,
    close: (deadlineMs = SHUTDOWN_DEADLINE_MS) => {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), deadlineMs);
        });
        const result = await Promise.race([worker.close().then(() => 'closed' as const), deadline]);
        clearTimeout(timer);
        if (result === 'late') {
          log(`shutdown: jobs still running after ${deadlineMs} ms; handing them back`);
          await worker.close(true);
        }
        watch?.stop(); // after the jobs: a job finishing during shutdown is still watched
        if (inProcess) await (await inProcess).close();
        const runs = [...pending.keys()];
        for (const timer of pending.values()) clearTimeout(timer);
        pending.clear();
        await Promise.all(runs.map(refresh));
        await db.close();
        if (jobOutput !== null) closeSync(jobOutput);
      })();
      return closing;
    },
  };
}
