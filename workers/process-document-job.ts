import { basename } from 'node:path';
import { UnrecoverableError, WaitingChildrenError } from 'bullmq';
import type { ExtractInput, PagePartial } from '../core/index.js';
import {
  isJobDataError,
  pagesJobId,
  PAGES_JOB_OPTIONS,
  parseDocumentJobData,
  type DocumentJobData,
} from '../queue/index.js';
import { assembleFanOut, savePartial } from './assemble-fan-out.js';
import { finishDocument } from './finish-document.js';
import type { ChildJob, ExtractJob, JobContext, JobOutcome } from './job-context.js';
import { pageProgress } from './page-progress.js';
import { planPageRanges } from './plan-page-ranges.js';
import { probeFallbackCount, probeScan } from './probe-scan.js';
import { isSourceError, readPageSet, readSource } from './read-source.js';
import { deferProcessingMark, type ProcessingMark } from './processing-mark.js';
import { keepLastResult, recordFailure } from './record-status.js';
import { runInDatabase, RUN_NOT_IN_DATABASE } from './check-run.js';

/**
 * Scans with at least this many pages fan out (OCR costs 2–4 s a page; a child job costs a few ms
 * plus opening the file, ≈ 0.1–0.3 s). Born-digital pages (≈ 50 ms) never fan out.
 */
export const FANOUT_MIN_PAGES = 2;

function readByOcr(partial: PagePartial): boolean {
  return partial.pages.some((p) => p.method === 'ocr');
}

/**
 * One document job: read the file, extract, save. Born-digital documents are read in one call.
 * A scan of FANOUT_MIN_PAGES or more (probeScan) is read page 1 here and the rest in page-range
 * children any worker can take; the job then waits for them and comes back (step `assemble`)
 * to join the ranges.
 */
export async function processDocumentJob(
  job: ExtractJob,
  token: string | undefined,
  ctx: JobContext,
): Promise<JobOutcome> {
  const started = performance.now();
  const data = parseDocumentJobData(job.data);
  if (isJobDataError(data)) throw new UnrecoverableError(`${data.code}: ${data.message}`);
  if (!(await runInDatabase(ctx.models, data.runId)))
    throw new UnrecoverableError(`${RUN_NOT_IN_DATABASE}: run ${data.runId} is not in this worker's database; refused`);
  if (data.step === 'assemble') return assembleFanOut(job, data, ctx, started);

  const source = data.pages
    ? await readPageSet(data.path, data.pages, data.sha256)
    : await readSource(data.path, data.sha256, ctx.limits.maxBytes);
  if (isSourceError(source)) {
    if (source.code === 'SOURCE_MISSING' && (await keepLastResult(ctx.models, data, source))) {
      job.log(`${source.code}: ${source.message}; the last good result is kept`);
      return {
        sha256: data.sha256,
        status: 'kept',
        pages: 0,
        children: 0,
        ms: Math.round(performance.now() - started),
      };
    }
    await recordFailure(ctx.models, data, source, job.attemptsMade + 1);
    throw new UnrecoverableError(`${source.code}: ${source.message}`);
  }
  // A file's bytes, or the page images of a folder read as one document (never fanned out: no PDF to probe).
  const input: ExtractInput = source instanceof Uint8Array ? { bytes: source, name: basename(data.path) } : source;
  // Settled before anything is saved, so a mark (if any) comes before every record of this pass.
  const mark = deferProcessingMark(ctx.models, data, job);
  try {
    return await readDocument(job, token, ctx, { data, input, mark, started });
  } finally {
    mark.cancel(); // a job that threw must not mark its document processing a moment later
  }
}

/** The document job once its file is read: extract and save, or read page 1 and fan out. */
async function readDocument(
  job: ExtractJob,
  token: string | undefined,
  ctx: JobContext,
  pass: { data: DocumentJobData; input: ExtractInput; mark: ProcessingMark; started: number },
): Promise<JobOutcome> {
  const { data, input, mark, started } = pass;
  const startedAt = new Date();
  const count = await ctx.extractor.countPages(input);
  job.log(`open: ${typeof count === 'number' ? `${count} pages` : `${count.code} (${count.message})`}`);
  const progress = pageProgress(job);

  const fallbacks = probeFallbackCount();
  if (
    typeof count !== 'number' ||
    count < FANOUT_MIN_PAGES ||
    !('bytes' in input) ||
    !(await probeScan(data.path, input.bytes))
  ) {
    if (probeFallbackCount() > fallbacks) job.log('probe: pdftotext is missing; read in one job without fan-out');
    const total = typeof count === 'number' ? count : 0;
    const doc = await ctx.extractor.extractDocument(input, {
      ocr: ctx.ocr,
      limits: ctx.limits,
      onProgress: (done) => progress(done, total),
    });
    job.log(`extract: ${doc.status} in ${Math.round(performance.now() - started)} ms`);
    return finishDocument(job, data, doc, ctx, started, { children: 0, firstPass: await mark.settle(), startedAt });
  }

  const first = await ctx.extractor.analyzeRange(input, { from: 1, to: 1 }, { ocr: ctx.ocr, limits: ctx.limits });
  progress(1, count);
  if (!readByOcr(first)) {
    // The probe was wrong (e.g. a cover page without text): read the rest here.
    const rest = await ctx.extractor.analyzeRange(
      input,
      { from: 2, to: count },
      { ocr: ctx.ocr, limits: ctx.limits, onProgress: (done) => progress(1 + done, count) },
    );
    const doc = ctx.extractor.assembleDocument([first, rest]);
    job.log(`extract: ${doc.status} (text layer) in ${Math.round(performance.now() - started)} ms`);
    return finishDocument(job, data, doc, ctx, started, { children: 0, firstPass: await mark.settle(), startedAt });
  }

  // A scan: page 1 is done; pages 2…count go to children any worker can take.
  await mark.now();
  await savePartial(ctx.models, data, { from: 1, to: 1 }, first);
  const parentId = job.id ?? '';
  const children: ChildJob[] = planPageRanges(2, count, ctx.pagesPerChild).map((range) => ({
    name: 'pages',
    data: {
      sha256: data.sha256,
      path: data.path,
      runId: data.runId,
      pipelineVersion: data.pipelineVersion,
      from: range.from,
      to: range.to,
    },
    opts: {
      ...PAGES_JOB_OPTIONS,
      // Ahead of the documents still waiting: a started scan finishes before new documents start, so
      // its wall time is its own work, not the whole queue's (fuzz-0000.pdf waited 1,394 s behind 1,000 files).
      lifo: true,
      jobId: pagesJobId(parentId, range.from, range.to),
      parent: { id: parentId, queue: job.queueQualifiedName },
    },
  }));
  await ctx.addChildren(children);
  await job.updateData({ ...data, step: 'assemble', pageCount: count });
  job.log(`fan-out: pages 2–${count} in ${children.length} child jobs`);
  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
  return assembleFanOut(job, { ...data, step: 'assemble', pageCount: count }, ctx, started);
}
