import { rerunS3Around } from './cross-year-checks.js';
import type { Models } from './models.js';
import { encodeCellKey, type CurrentCorrection } from './report.model.js';

export interface CellCorrection {
  readonly sha256: string;
  readonly key: string;
  readonly value: number | null;
  readonly by: string;
  readonly note?: string;
}

export type CorrectionError = { readonly code: 'NO_REPORT' | 'UNKNOWN_KEY'; readonly message: string };

/**
 * Records a human correction: an audit entry (who, when, old, new) plus the current value on the
 * report. Reprocessing rewrites the extracted cells but never the corrections.
 */
export async function correctCell(
  models: Models,
  correction: CellCorrection,
): Promise<CurrentCorrection | CorrectionError> {
  const report = await models.Report.findOne({ sha256: correction.sha256 }, { cells: 1, corrections: 1 }).lean();
  if (!report) return { code: 'NO_REPORT', message: `no report for ${correction.sha256}` };
  const cell = report.cells.find((c) => c.key === correction.key);
  if (!cell) return { code: 'UNKNOWN_KEY', message: `the report has no cell ${correction.key}` };
  const previous = report.corrections[encodeCellKey(correction.key)];
  const old = previous ? previous.value : cell.value;
  const at = new Date();
  const current: CurrentCorrection = {
    key: correction.key,
    value: correction.value,
    old,
    by: correction.by,
    at,
    ...(correction.note !== undefined ? { note: correction.note } : {}),
  };
  await models.Correction.create({
    sha256: correction.sha256,
    key: correction.key,
    old,
    new: correction.value,
    by: correction.by,
    at,
    ...(correction.note !== undefined ? { note: correction.note } : {}),
  });
  await models.Report.updateOne(
    { sha256: correction.sha256 },
    { $set: { [`corrections.${encodeCellKey(correction.key)}`]: current } },
  );
  // A corrected value may settle or break a link with the neighbouring years (rule S3), and the
  // archive's totals read it (report facts): both are refreshed on this report and its neighbours.
  await rerunS3Around(models, correction.sha256);
  return current;
}

/** A cell's value as a reader should see it: the latest correction wins over the extracted value. */
export function effectiveValue(
  report: { cells: readonly { key: string; value: number | null }[]; corrections: Record<string, CurrentCorrection> },
  key: string,
): number | null {
  const corrected = report.corrections[encodeCellKey(key)];
  if (corrected) return corrected.value;
  return report.cells.find((c) => c.key === key)?.value ?? null;
}
