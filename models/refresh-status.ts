import type { Models } from './models.js';
import { encodeCellKey, type ReportRecord } from './report.model.js';

/**
 * Re-derives done / needs_review after a cross-report step changed a report's flags (a failed S3
 * link raised, a copy's text layer cleared an OCR doubt): the document needs review while a cell
 * carries a flag no person has decided, a hard check failed, a page failed, or (before a person
 * closed the review) the report holds a flag above `info`. The same rule as the core's status,
 * with a person's decisions counted. Documents in other states are left alone.
 */
export async function refreshStatus(models: Models, sha256: string): Promise<string | null> {
  const document = await models.Document.findOne({ sha256 }, { status: 1, summary: 1, review: 1 }).lean();
  if (!document || (document.status !== 'done' && document.status !== 'needs_review')) return null;
  const report = await models.Report.findOne({ sha256 }, { cells: 1, flags: 1, corrections: 1 }).lean<
    Pick<ReportRecord, 'cells' | 'flags' | 'corrections'>
  >();
  if (!report) return document.status;
  const open = (key: string): boolean => report.corrections[encodeCellKey(key)] === undefined;
  const cellKeys = new Set(report.cells.map((c) => c.key));
  const flaggedCell = report.cells.some((c) => c.reason !== 'missing' && c.flags.length > 0 && open(c.key));
  const reportFlag =
    document.review === null &&
    (report.flags as { severity?: string; at?: { key?: string } }[]).some(
      (f) => f.severity !== 'info' && !(f.at?.key !== undefined && cellKeys.has(f.at.key)),
    );
  const summary = document.summary;
  const needs = flaggedCell || reportFlag || (summary.checksFailed ?? 0) > 0 || (summary.pagesFailed ?? 0) > 0;
  const status = needs ? 'needs_review' : 'done';
  if (status !== document.status)
    await models.Document.updateOne({ sha256, status: document.status }, { $set: { status } });
  return status;
}
