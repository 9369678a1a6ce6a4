import type { Models } from './models.js';
import { encodeCellKey, type CurrentCorrection } from './report.model.js';

/** A cell a person has to look at, with what the extractor saw and what a person decided. */
export interface ReviewItem {
  readonly key: string;
  readonly value: number | null;
  readonly raw: string | null;
  readonly confidence: number;
  readonly flags: readonly string[];
  readonly suggestion?: number;
  readonly page?: number;
  /** The person's decision: a new value, or the extracted value confirmed. */
  readonly correction?: CurrentCorrection;
}

export interface ReviewState {
  readonly sha256: string;
  readonly status: string;
  readonly path?: string;
  /** Document-level reasons (failed pages, missing sections, unmapped tables): acknowledged on close. */
  readonly notes: readonly string[];
  readonly cells: readonly ReviewItem[];
  /** Flagged cells without a decision yet. */
  readonly open: number;
  readonly review: { by: string; at: Date; note?: string } | null;
}

export type ReviewError = {
  readonly code: 'NO_DOCUMENT' | 'NO_REPORT' | 'OPEN_CELLS' | 'NOT_IN_REVIEW';
  readonly message: string;
  readonly open?: readonly string[];
};

/** The review sheet of one document: every flagged cell with its decision, if any, and the document-level notes. */
export async function reviewState(models: Models, sha256: string): Promise<ReviewState | ReviewError> {
  const document = await models.Document.findOne({ sha256 }, { status: 1, source: 1, review: 1 }).lean();
  if (!document) return { code: 'NO_DOCUMENT', message: `no document ${sha256}` };
  const report = await models.Report.findOne({ sha256 }, { cells: 1, corrections: 1, flags: 1 }).lean();
  if (!report) return { code: 'NO_REPORT', message: `document ${sha256} has no report (status ${document.status})` };
  const cells: ReviewItem[] = report.cells
    .filter((c) => c.flags.length > 0 && c.reason !== 'missing')
    .map((c) => {
      const correction = report.corrections[encodeCellKey(c.key)];
      return {
        key: c.key,
        value: c.value,
        raw: c.raw,
        confidence: c.confidence,
        flags: c.flags,
        ...(c.suggestion !== undefined && c.suggestion !== null ? { suggestion: c.suggestion } : {}),
        ...(c.source ? { page: c.source.page } : {}),
        ...(correction ? { correction } : {}),
      };
    });
  // Flags about a cell are listed with the cell; the rest (failed pages, missing sections, unmapped
  // tables, narrative mismatches) are notes for the whole document.
  const cellKeys = new Set(report.cells.map((c) => c.key));
  const notes = (report.flags as { kind?: string; message?: string; at?: { key?: string } }[])
    .filter((f) => f.kind !== undefined && !(f.at?.key !== undefined && cellKeys.has(f.at.key)))
    .map((f) => f.message ?? f.kind ?? '');
  return {
    sha256,
    status: document.status,
    ...(document.source.path !== undefined ? { path: document.source.path } : {}),
    notes,
    cells,
    open: cells.filter((c) => !c.correction).length,
    review: document.review ?? null,
  };
}

/**
 * Closes the review of a document: allowed once every flagged cell has a decision (a corrected or a
 * confirmed value); the document then counts as done, with who closed it and when. Reprocessing
 * recomputes the status, so a later pipeline that flags new cells reopens the review.
 */
export async function closeReview(
  models: Models,
  input: { sha256: string; by: string; note?: string },
): Promise<ReviewState | ReviewError> {
  const state = await reviewState(models, input.sha256);
  if ('code' in state) return state;
  if (state.status !== 'needs_review')
    return { code: 'NOT_IN_REVIEW', message: `document ${input.sha256} is ${state.status}, not needs_review` };
  const open = state.cells.filter((c) => !c.correction).map((c) => c.key);
  if (open.length > 0)
    return { code: 'OPEN_CELLS', message: `${open.length} flagged cells have no decision yet`, open };
  const review = { by: input.by, at: new Date(), ...(input.note !== undefined ? { note: input.note } : {}) };
  const updated = await models.Document.updateOne(
    { sha256: input.sha256, status: 'needs_review' },
    { $set: { status: 'done', review } },
  );
  if (updated.modifiedCount === 0)
    return { code: 'NOT_IN_REVIEW', message: `document ${input.sha256} left review meanwhile` };
  return { ...state, status: 'done', review };
}
