import { JOB_NAMES } from '../queue/index.js';
import type { ExtractJob, JobContext, JobOutcome } from './job-context.js';
import { processDocumentJob } from './process-document-job.js';
import { processPagesJob, type PagesOutcome } from './process-pages-job.js';

/** Dispatches by job name; shared by the sandboxed entry and the in-process worker. */
export function runExtractJob(
  job: ExtractJob,
  token: string | undefined,
  ctx: JobContext,
): Promise<JobOutcome | PagesOutcome> {
  return job.name === JOB_NAMES.pages ? processPagesJob(job, ctx) : processDocumentJob(job, token, ctx);
}
