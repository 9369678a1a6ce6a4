/**
 * Sandboxed processor entry: BullMQ forks a process per concurrent job slot and loads this file,
 * so pdf.js parsing and OCR never block the worker's lock renewal (bullmq#2857).
 * BullMQ requires a default export here — the one exception to named exports.
 */
import type { SandboxedJob } from 'bullmq';
import { createJobContext, type ProcessContext } from './create-job-context.js';
import type { JobOutcome } from './job-context.js';
import type { PagesOutcome } from './process-pages-job.js';
import { memoryLog } from './memory-log.js';
import { runExtractJob } from './run-extract-job.js';

// Ctrl-C in a terminal reaches the whole process group; the worker decides when this process ends
// (it lets the current job finish, then stops it), so the job is not lost half-done.
process.on('SIGINT', () => undefined);

// Dies with its worker: BullMQ forks this process with an IPC channel, which closes when the worker
// dies (kill -9 included); a job process left behind would hold memory and CPU for nobody. The parent
// pid is polled too, in case the channel's close is missed.
const parentPid = process.ppid;
// pdf.js rejects internal promises nobody awaits when a file is damaged (a FormatError in an object
// stream); the call the job awaits reports the damage itself. Such a rejection must not kill the
// process (Node's default), which would fail every try of the document as RETRIES_EXHAUSTED.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `job process: ignored an unawaited rejection (${reason instanceof Error ? reason.message : String(reason)})\n`,
  );
});
process.on('disconnect', () => process.exit(0));
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(0);
}, 1_000).unref();

let shared: Promise<ProcessContext> | null = null;

function processContext(): Promise<ProcessContext> {
  shared ??= createJobContext().catch((error: unknown) => {
    shared = null; // database not up yet: the job fails, is retried, and the next try reconnects
    throw error;
  });
  return shared;
}

const afterJob = memoryLog();

export default async function extractProcessor(job: SandboxedJob, token?: string): Promise<JobOutcome | PagesOutcome> {
  const { context } = await processContext();
  try {
    return await runExtractJob(job, token, context);
  } finally {
    afterJob?.(context.extractor.idleReaderHeaps?.());
  }
}
