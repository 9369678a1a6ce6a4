import { cellProvenance, type DecisionAction } from './cell-provenance.js';
import type { Models } from './models.js';
import { encodeCellKey, type CurrentCorrection, type ReportRecord } from './report.model.js';

export interface CellCorrection {
  readonly sha256: string;
  readonly key: string;
  readonly value: number | null;
  readonly by: string;
  readonly note?: string;
}

export type CorrectionError = { readonly code: 'NO_REPORT' | 'UNKNOWN_KEY'; readonly message: string };

export interface DecisionRecord {
  readonly sha256: string;
  readonly key: string;
  readonly action: DecisionAction;
  readonly value: number | string | null;
  /** The value the reader saw before (extracted, or an earlier decision). */
  readonly old: number | string | null;
  readonly by: string;
  readonly note?: string;
}

/**
 * Writes one human decision: an audit entry (who, when, what, old, new) plus the current decision on
 * the report. Reprocessing rewrites the extracted cells but never the decisions.
 */
export async function recordDecision(models: Models, decision: DecisionRecord): Promise<CurrentCorrection> {
  const at = new Date();
  const note = decision.note !== undefined ? { note: decision.note } : {};
  const current: CurrentCorrection = {
    key: decision.key,
    value: decision.value,
    old: decision.old,
    action: decision.action,
    by: decision.by,
    at,
    ...note,
  };
  await models.Correction.create({
    sha256: decision.sha256,
    key: decision.key,
    action: decision.action,
    old: decision.old,
    new: decision.value,
    by: decision.by,
    at,
    ...note,
  });
  await models.Report.updateOne(
    { sha256: decision.sha256 },
    { $set: { [`corrections.${encodeCellKey(decision.key)}`]: current } },
  );
  return current;
}

/** Records a corrected value of a report cell without the review checks (see review-decisions.ts for those). */
export async function correctCell(
  models: Models,
  correction: CellCorrection,
): Promise<CurrentCorrection | CorrectionError> {
  const report = await models.Report.findOne({ sha256: correction.sha256 }, { cells: 1, corrections: 1 }).lean();
  if (!report) return { code: 'NO_REPORT', message: `no report for ${correction.sha256}` };
  const cell = cellProvenance(report, correction.key);
  if (!cell) return { code: 'UNKNOWN_KEY', message: `the report has no cell ${correction.key}` };
  return recordDecision(models, {
    sha256: correction.sha256,
    key: correction.key,
    action: 'correct',
    value: correction.value,
    old: cell.value,
    by: correction.by,
    ...(correction.note !== undefined ? { note: correction.note } : {}),
  });
}

/** A cell's value as a reader should see it: the latest decision wins over the extracted value. */
export function effectiveValue(report: Pick<ReportRecord, 'cells' | 'corrections'>, key: string): number | null {
  const value = cellProvenance(report, key)?.value;
  return typeof value === 'number' ? value : null;
}
