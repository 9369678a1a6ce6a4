import { basename } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { isJobDataError, parsePagesJobData } from '../queue/index.js';
import { savePartial } from './assemble-fan-out.js';
import type { ExtractJob, JobContext } from './job-context.js';
import { pageProgress } from './page-progress.js';
import { isSourceError, readSource } from './read-source.js';
import { runInDatabase, RUN_NOT_IN_DATABASE } from './check-run.js';

export interface PagesOutcome {
  readonly from: number;
  readonly to: number;
  readonly pages: number;
  readonly ms: number;
}

/** A page-range child of a fanned-out scan: read the pages, store the partial for the parent. */
export async function processPagesJob(job: ExtractJob, ctx: JobContext): Promise<PagesOutcome> {
  const started = performance.now();
  const data = parsePagesJobData(job.data);
  if (isJobDataError(data)) throw new UnrecoverableError(`${data.code}: ${data.message}`);
  if (!(await runInDatabase(ctx.models, data.runId)))
    throw new UnrecoverableError(`${RUN_NOT_IN_DATABASE}: run ${data.runId} is not in this worker's database; refused`);
  const bytes = await readSource(data.path, data.sha256, ctx.limits.maxBytes);
  if (isSourceError(bytes)) throw new UnrecoverableError(`${bytes.code}: ${bytes.message}`);
  const total = data.to - data.from + 1;
  const progress = pageProgress(job);
  const partial = await ctx.extractor.analyzeRange(
    { bytes, name: basename(data.path) },
    { from: data.from, to: data.to },
    { ocr: ctx.ocr, limits: ctx.limits, onProgress: (done) => progress(done, total) },
  );
  await savePartial(ctx.models, data, { from: data.from, to: data.to }, partial);
  job.log(`pages ${data.from}–${data.to}: ${partial.pages.length} read, ${partial.problems.length} problems`);
  return { from: data.from, to: data.to, pages: partial.pages.length, ms: Math.round(performance.now() - started) };
}
