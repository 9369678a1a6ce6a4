import type { PagePartial, PageRange } from '../core/index.js';
import { failedPage } from '../core/failed-page.js';
import { toPlain, type Models } from '../models/index.js';
import type { DocumentJobData } from '../queue/index.js';
import type { ExtractJob, JobContext, JobOutcome } from './job-context.js';
import { finishDocument } from './finish-document.js';
import { stoppedJobError } from './watch-job-process.js';

/** Stores one page range's result until the parent assembles (upsert: a replayed child overwrites itself). */
export async function savePartial(
  models: Models,
  data: { sha256: string; pipelineVersion: string },
  range: PageRange,
  partial: PagePartial,
): Promise<void> {
  await models.PagePartial.updateOne(
    { sha256: data.sha256, pipelineVersion: data.pipelineVersion, from: range.from },
    { $set: { to: range.to, partial: toPlain(partial) } },
    { upsert: true },
  );
}

/**
 * Pages no child delivered (it failed for good): kept as failed pages with a problem, so the document
 * needs review: PAGE_TOO_LARGE / PAGE_TIMEOUT when the child's process was stopped over its memory
 * budget or past its deadline, PAGE_FAILED otherwise.
 */
function missingPagesPartial(template: PagePartial, missing: readonly number[], reason: string): PagePartial {
  const stopped = stoppedJobError(reason)?.code;
  const code = stopped === 'TOO_LARGE' ? 'PAGE_TOO_LARGE' : stopped === 'TIMEOUT' ? 'PAGE_TIMEOUT' : 'PAGE_FAILED';
  return {
    meta: template.meta,
    pageCount: template.pageCount,
    pages: missing.map((n) => failedPage(n)),
    tables: [],
    problems: missing.map((n) => ({
      code,
      message: `page job failed: ${reason}`,
      stage: 'ocr' as const,
      page: n,
    })),
    timings: {},
  };
}

/** The parent's second run: join every range in MongoDB, fill pages of failed children, save, clean up. */
export async function assembleFanOut(
  job: ExtractJob,
  data: DocumentJobData,
  ctx: JobContext,
  started: number,
): Promise<JobOutcome> {
  const { models } = ctx;
  const records = await models.PagePartial.find({ sha256: data.sha256, pipelineVersion: data.pipelineVersion })
    .sort({ from: 1 })
    .lean();
  if (records.length === 0) {
    // A replay after the partials were cleaned up: the document was already assembled and saved.
    const existing = await models.Document.findOne({ sha256: data.sha256 }).lean();
    if (
      existing &&
      existing.pipelineVersion === data.pipelineVersion &&
      (existing.status === 'done' || existing.status === 'needs_review')
    ) {
      return {
        sha256: data.sha256,
        status: existing.status,
        pages: existing.pageCount ?? 0,
        children: 0,
        ms: Math.round(performance.now() - started),
      };
    }
    throw new Error(`no page results stored for ${data.sha256}; retrying`);
  }
  const partials = records.map((r) => r.partial as PagePartial);
  const first = partials[0] as PagePartial;
  const pageCount = data.pageCount ?? first.pageCount;
  const have = new Set(partials.flatMap((p) => p.pages.map((page) => page.number)));
  const missing: number[] = [];
  for (let n = 1; n <= pageCount; n++) if (!have.has(n)) missing.push(n);
  if (missing.length > 0) {
    const failures = Object.values(await job.getIgnoredChildrenFailures());
    const reason = failures[0] ?? 'no result';
    job.log(`assemble: ${missing.length} pages missing (${reason})`);
    partials.push(missingPagesPartial(first, missing, reason));
  }
  const doc = ctx.extractor.assembleDocument(partials);
  job.log(`assemble: ${partials.length} ranges → ${doc.status}`);
  const outcome = await finishDocument(job, data, doc, ctx, started, { children: records.length - 1 });
  await models.PagePartial.deleteMany({ sha256: data.sha256, pipelineVersion: data.pipelineVersion });
  return outcome;
}
