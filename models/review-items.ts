import type { Check } from '../core/model/index.js';
import { cellsWithProvenance, type EffectiveCell } from './cell-provenance.js';
import { COPY_FLAG } from './cross-flags.js';
import type { DocumentRecord } from './document.model.js';
import { reviewMetadata, type MetadataReport, type MetadataReview } from './metadata-review.js';
import type { Models } from './models.js';
import type { ReportRecord } from './report.model.js';

export type ItemsReport = MetadataReport & Pick<ReportRecord, 'cells' | 'checks' | 'copyRole'>;

/** What a person reviews on one document, and what is still open. */
export interface ReviewItems {
  readonly cells: readonly EffectiveCell[];
  readonly metadata: readonly MetadataReview[];
  /** Flagged cells and metadata fields without a decision. */
  readonly open: readonly string[];
}

/**
 * The one count of what is left to review, for the document view, closing and the queue's flagsLeft.
 * A copy of a report (report-copies.ts) counts nowhere — its primary carries the values, the S3
 * links and the metadata — so on a copy only its disagreements with the primary are open: the
 * same doubt is never counted on both.
 */
export function reviewItems(
  report: ItemsReport,
  document: Pick<DocumentRecord, 'metadata'>,
  primaryDoubts: ReadonlySet<string> = new Set(),
): ReviewItems {
  const cells = cellsWithProvenance(report);
  const metadata = reviewMetadata(report, document);
  const copy = report.copyRole === 'copy';
  // Two readings without a text layer flag the disagreement on both (report-copies.ts): it is open
  // on the primary, whose value counts, and not again on the copy.
  const copyOpen = (c: EffectiveCell): boolean => c.flags.includes(COPY_FLAG) && !primaryDoubts.has(c.key);
  const open = [
    ...cells.filter((c) => c.open && (!copy || copyOpen(c))).map((c) => c.key),
    ...(copy ? [] : metadata.filter((m) => m.decided.open).map((m) => m.key)),
  ];
  return { cells, metadata, open };
}

/** The cross-year checks (S3) the cross-report step stored on the report: they need the other years, so no re-check makes them. */
export function storedCrossChecks(report: Pick<ReportRecord, 'checks'>): Check[] {
  return (report.checks as { rule?: string }[]).filter((c) => c.rule === 'S3') as unknown as Check[];
}

/** For a copy: the cells its group's primary flags as disagreeing (empty for any other report). */
export async function primaryDoubts(
  models: Models,
  report: Pick<ReportRecord, 'copyRole' | 'copyGroup'>,
): Promise<Set<string>> {
  if (report.copyRole !== 'copy' || !report.copyGroup) return new Set();
  const primary = await models.Report.findOne({ copyGroup: report.copyGroup, copyRole: 'primary' }, { cells: 1 }).lean<
    Pick<ReportRecord, 'cells'>
  >();
  return new Set((primary?.cells ?? []).filter((c) => c.flags.includes(COPY_FLAG)).map((c) => c.key));
}
