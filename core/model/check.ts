/** Rule ids of domain.md §7. */
export type RuleId =
  'H1' | 'H2' | 'H3' | 'H4' | 'H5' | 'H6' | 'H7' | 'H8' | 'H9' | 'H10' | 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7';

/** A value that, corrected as given, would make the failed rules hold. */
export interface CulpritFix {
  readonly key: string;
  readonly value: number;
}

export interface Check {
  readonly rule: RuleId;
  readonly hard: boolean;
  /** What the rule was applied to, e.g. `column natural_person`, `row granted`, `group review`. */
  readonly scope: string;
  readonly status: 'pass' | 'fail' | 'skipped';
  /** Report keys involved. */
  readonly keys: readonly string[];
  readonly expected: number | null;
  readonly actual: number | null;
  /** The single key that most likely breaks the rule, when the other rules agree on the rest. */
  readonly culprit?: string;
  /** The value the culprit would need for the rule to hold. */
  readonly suggestion?: number;
  /** Every value of the explanation (one, or a pair such as a value and the row total computed from it). */
  readonly culprits?: readonly CulpritFix[];
  readonly message: string;
  /** The rule passed only because every value involved is zero or blank (weak evidence of alignment). */
  readonly trivial?: boolean;
}
