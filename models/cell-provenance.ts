import { encodeCellKey, type CurrentCorrection, type ReportRecord } from './report.model.js';

/** What a person decided about a cell (or a metadata field). */
export const DECISION_ACTIONS = ['correct', 'confirm', 'printed-so'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Where the value a reader sees comes from. */
export type ProvenanceKind = 'extracted' | 'corrected' | 'confirmed' | 'printed-inconsistent';

/** How the review page colours a cell: an extracted value is trusted or flagged, a decided one says how. */
export type CellState = 'trusted' | 'flagged' | 'corrected' | 'confirmed' | 'printed-inconsistent';

export interface Provenance {
  readonly kind: ProvenanceKind;
  readonly by?: string;
  readonly at?: Date;
  /** The value before the person's decision (what the extractor read, or an earlier decision). */
  readonly old?: number | string | null;
  readonly note?: string;
}

export type DecidedValue = number | string | null;

export interface EffectiveCell {
  readonly key: string;
  /** The value a reader should use: the person's when decided, else the extracted one. */
  readonly value: DecidedValue;
  /** The value as extracted. */
  readonly extracted: DecidedValue;
  readonly flags: readonly string[];
  readonly provenance: Provenance;
  readonly state: CellState;
  /** Still needs a person: flagged and not decided. */
  readonly open: boolean;
}

/**
 * The kind of a decision. Records written before decisions had an action (the old corrections
 * route) count as `confirmed` when they kept the extracted value and `corrected` otherwise.
 */
export function decisionKind(decision: CurrentCorrection, extracted: DecidedValue): ProvenanceKind {
  switch (decision.action) {
    case 'printed-so':
      return 'printed-inconsistent';
    case 'confirm':
      return 'confirmed';
    case 'correct':
      return 'corrected';
    default:
      return decision.value === extracted ? 'confirmed' : 'corrected';
  }
}

/**
 * Effective value, provenance and state of one extracted value and the decision on it, if any.
 * `reviewable` false: its flags do not ask for a decision (a key the document lacks is a note on the
 * whole table, not a cell to clear), though a person may still enter its value.
 */
export function decideValue(
  key: string,
  extracted: DecidedValue,
  flags: readonly string[],
  decision: CurrentCorrection | undefined,
  reviewable = true,
): EffectiveCell {
  if (!decision) {
    const flagged = flags.length > 0;
    return {
      key,
      value: extracted,
      extracted,
      flags,
      provenance: { kind: 'extracted' },
      state: flagged ? 'flagged' : 'trusted',
      open: flagged && reviewable,
    };
  }
  const kind = decisionKind(decision, extracted);
  return {
    key,
    value: decision.value,
    extracted,
    flags,
    provenance: {
      kind,
      by: decision.by,
      at: decision.at,
      old: decision.old,
      ...(decision.note !== undefined ? { note: decision.note } : {}),
    },
    state: kind === 'extracted' ? 'trusted' : kind,
    open: false,
  };
}

/**
 * The one place that says what a report cell is worth to a reader (API, review page, exports):
 * its effective value and provenance from the stored report and the decisions on it.
 * Null when the report has no such cell.
 */
export function cellProvenance(report: Pick<ReportRecord, 'cells' | 'corrections'>, key: string): EffectiveCell | null {
  const cell = report.cells.find((c) => c.key === key);
  if (!cell) return null;
  return decideValue(key, cell.value, cell.flags, report.corrections[encodeCellKey(key)], cell.reason !== 'missing');
}

/** Every cell of a report with its provenance, in stored (key) order: one pass, no per-key search. */
export function cellsWithProvenance(report: Pick<ReportRecord, 'cells' | 'corrections'>): EffectiveCell[] {
  return report.cells.map((c) =>
    decideValue(c.key, c.value, c.flags, report.corrections[encodeCellKey(c.key)], c.reason !== 'missing'),
  );
}
