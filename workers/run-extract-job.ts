import { JOB_NAMES } from '../queue/index.js';
import { bufferJobLog } from './buffer-job-log.js';
import type { ExtractJob, JobContext, JobOutcome } from './job-context.js';
import { processDocumentJob } from './process-document-job.js';
import { processPagesJob, type PagesOutcome } from './process-pages-job.js';

/** Dispatches by job name; shared by the sandboxed entry and the in-process worker. */
export async function runExtractJob(
  job: ExtractJob,
  token: string | undefined,
  ctx: JobContext,
): Promise<JobOutcome | PagesOutcome> {
  const logged = bufferJobLog(job);
  try {
    return job.name === JOB_NAMES.pages
      ? await processPagesJob(logged.job, ctx)
      : await processDocumentJob(logged.job, token, ctx);
  } finally {
    logged.flush();
  }
}
