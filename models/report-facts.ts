import { numberOrNull } from './cell-provenance.js';
import { encodeCellKey, type CurrentCorrection, type ReportCellRecord } from './report.model.js';

/** A cell's state for totals: clean, an open flag, or decided by a person. */
export const FACT_CLEAN = 0;
export const FACT_FLAGGED = 1;
export const FACT_DECIDED = 2;

/** One number as the archive queries read it: the value a reader should use and its state. */
export interface Fact {
  readonly v: number | null;
  readonly f: typeof FACT_CLEAN | typeof FACT_FLAGGED | typeof FACT_DECIDED;
  /** The extractor's confidence. */
  readonly c: number;
  /** The open flags, when there are any. */
  readonly fl?: readonly string[];
  /** The extracted value and the person, when a person decided the cell. */
  readonly x?: number | null;
  readonly by?: string;
}

/**
 * The report's numbers flattened to `{<encoded key>: {v, f, c, fl?, x?, by?}}`, corrections applied. A total over
 * 20,000 reports then reads one small path of each stored report (the embedded server decodes only
 * the paths a $group needs) instead of decoding its ≈ 200 cells; a series reads a few the same way. Rewritten with every S3 re-run,
 * which follows every save, reprocess and correction (cross-year-checks.ts).
 */
export function factsOf(
  cells: readonly ReportCellRecord[],
  corrections: Readonly<Record<string, CurrentCorrection>>,
): Record<string, Fact> {
  const facts: Record<string, Fact> = {};
  for (const cell of cells) {
    if (cell.reason === 'missing') continue;
    const key = encodeCellKey(cell.key);
    const corrected = corrections[key];
    facts[key] = corrected
      ? { v: numberOrNull(corrected.value), f: FACT_DECIDED, c: cell.confidence, x: cell.value, by: corrected.by }
      : cell.flags.length > 0
        ? { v: cell.value, f: FACT_FLAGGED, c: cell.confidence, fl: [...cell.flags] }
        : { v: cell.value, f: FACT_CLEAN, c: cell.confidence };
  }
  return facts;
}
