/**
 * Per-cell confidence: the source cell's confidence (1 for a clean text layer, the recogniser's
 * for OCR) times how cleanly the text parsed, then moved by the arithmetic evidence.
 */

/** Below this a value is flagged for review even when every rule holds (the OCR path tunes it). */
export const LOW_CONFIDENCE = 0.6;

/** Parse quality factors. */
export const PARSE_FACTOR = {
  /** Plain digits. */
  clean: 1,
  /** Full-width digits, separators, signs or units: read right, but there was more to undo. */
  cleaned: 0.98,
  /** Row or item label did not match; placed by the fixed order of the template. */
  byOrder: 0.7,
  /** The layout left doubt about the column (text-aligned table with dropped cells). */
  ambiguous: 0.5,
  /** Not a number at all. */
  unparsable: 0,
} as const;

/** Rules that hold with real numbers halve the remaining doubt. */
const PASS_DOUBT_KEPT = 0.5;
/** Rules that hold only because everything is zero or blank say little about column alignment. */
const TRIVIAL_FACTOR = 0.9;
/** A value inside a failed hard rule is suspect. */
const FAILED_FACTOR = 0.3;
/** The single value that explains every failed rule is the most suspect. */
const CULPRIT_FACTOR = 0.1;

export type RuleEvidence = 'failed' | 'culprit' | 'passed' | 'trivial' | 'none';

/** Combines source confidence, parse quality and rule evidence into a 0…1 value. */
export function cellConfidence(source: number, parse: number, evidence: RuleEvidence): number {
  const base = Math.max(0, Math.min(1, source)) * parse;
  switch (evidence) {
    case 'culprit':
      return round(base * CULPRIT_FACTOR);
    case 'failed':
      return round(base * FAILED_FACTOR);
    case 'passed':
      return round(1 - (1 - base) * PASS_DOUBT_KEPT);
    case 'trivial':
      return round(base * TRIVIAL_FACTOR);
    case 'none':
      return round(base);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
