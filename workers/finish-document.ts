import { UnrecoverableError } from 'bullmq';
import type { Document } from '../core/index.js';
import { linkReport, refreshReportFacts, saveExtraction } from '../models/index.js';
import type { DocumentJobData } from '../queue/index.js';
import type { ExtractJob, JobContext, JobOutcome } from './job-context.js';

/** Saves the document and turns a failed extraction into a final (non-retried) job failure. */
export async function finishDocument(
  job: ExtractJob,
  data: DocumentJobData,
  doc: Document,
  ctx: JobContext,
  started: number,
  opts: { readonly children: number; readonly firstPass?: boolean; readonly startedAt?: Date },
): Promise<JobOutcome> {
  const source = {
    path: data.path,
    ...(data.url !== undefined ? { url: data.url } : {}),
    ...(data.crawlId !== undefined ? { crawlId: data.crawlId } : {}),
    ...(data.original !== undefined ? { original: data.original } : {}),
  };
  const saved = await saveExtraction(ctx.models, doc, {
    source,
    runId: data.runId,
    attempts: job.attemptsMade + 1,
    firstPass: opts.firstPass === true,
    ...(opts.startedAt ? { startedAt: opts.startedAt } : {}),
  });
  job.log(`save: ${saved.status}, ${saved.pages} pages, ${saved.tables} tables`);
  // Across reports: issuer identity, copies and rule S3 with the neighbouring years (models/cross-report.ts).
  if (doc.report) {
    const linked = await linkReport(ctx.models, data.sha256);
    job.log(`cross-report: issuer ${linked.issuerId ?? 'unresolved'}, S3 re-run on ${linked.rerun.length} reports`);
  } else {
    // A failed reprocess emptied an earlier report's cells: its numbers leave the archive's totals.
    await refreshReportFacts(ctx.models, [data.sha256]);
  }
  if (doc.status === 'failed') {
    const error = doc.error ?? { code: 'INTERNAL', message: 'failed without an error', stage: 'intake' };
    // Bad input (corrupt, encrypted, empty, unsupported, too large): a retry cannot repair it.
    throw new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  return {
    sha256: data.sha256,
    status: saved.status,
    pages: saved.pages,
    children: opts.children,
    ms: Math.round(performance.now() - started),
  };
}
