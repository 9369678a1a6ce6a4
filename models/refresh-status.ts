import { CROSS_FLAGS } from './cross-flags.js';
import type { Models } from './models.js';
import { encodeCellKey, type ReportRecord } from './report.model.js';
import { primaryDoubts, reviewItems } from './review-items.js';

/**
 * The document's status after a cross-report step changed its report's flags: a done document goes
 * to review when a cell carries a cross-report flag no person has decided (a failed S3 link, a copy
 * that disagrees), and goes back to done when nothing is open any more and it was this step that raised
 * it. Open means: a flagged cell without a decision, a failed hard check or page, or (before a
 * person closed the review) a report flag above `info` — the core's rule, decisions counted.
 */
export async function refreshStatus(models: Models, sha256: string): Promise<string | null> {
  const document = await models.Document.findOne(
    { sha256 },
    { status: 1, summary: 1, review: 1, metadata: 1, flagsLeft: 1 },
  ).lean();
  if (!document || (document.status !== 'done' && document.status !== 'needs_review')) return null;
  const report = await models.Report.findOne({ sha256 }, { sections: 0 }).lean<ReportRecord>();
  if (!report) return document.status;
  // The queue's count follows the flags this step set or cleared (one count: review-items.ts).
  const flagsLeft = reviewItems(report, document, await primaryDoubts(models, report)).open.length;
  if (flagsLeft !== document.flagsLeft) await models.Document.updateOne({ sha256 }, { $set: { flagsLeft } });
  const open = (key: string): boolean => report.corrections[encodeCellKey(key)] === undefined;
  const cellKeys = new Set(report.cells.map((c) => c.key));
  const openCells = report.cells.filter((c) => c.reason !== 'missing' && c.flags.length > 0 && open(c.key));
  const flaggedCell = openCells.length > 0;
  const crossFlag = openCells.some((c) => c.flags.some((f) => CROSS_FLAGS.has(f)));
  const reportFlag =
    document.review === null &&
    (report.flags as { severity?: string; at?: { key?: string } }[]).some(
      (f) => f.severity !== 'info' && !(f.at?.key !== undefined && (cellKeys.has(f.at.key) || !open(f.at.key))),
    );
  const summary = document.summary;
  const needs = flaggedCell || reportFlag || (summary.checksFailed ?? 0) > 0 || (summary.pagesFailed ?? 0) > 0;
  const raised = report.crossYear?.raisedStatus === true;
  // Raise for a cross-report flag; lower only what this step raised: a review the extractor opened
  // is closed by a person (review-document.ts), never by a re-run.
  const status = crossFlag ? 'needs_review' : !needs && raised ? 'done' : document.status;
  if (status === document.status) return status;
  const moved = await models.Document.updateOne({ sha256, status: document.status }, { $set: { status } });
  if (moved.modifiedCount > 0)
    await models.Report.updateOne({ sha256 }, { $set: { 'crossYear.raisedStatus': status === 'needs_review' } });
  return status;
}
