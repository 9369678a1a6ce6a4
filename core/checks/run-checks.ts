import type { Check, ReportMetadata, TemplateVersion } from '../model/index.js';
import { checkTextFacts } from './check-text-facts.js';
import { checkValueDomain } from './check-value-domain.js';
import { unverifiableRowTotal, withDerivedTotals } from './derive-blank-totals.js';
import { evaluateRule, type CheckValues } from './evaluate-rule.js';
import { findCulprits } from './find-culprits.js';
import { rulesFor, type Rule, type SumRule } from './rules.js';

export interface ChecksInput {
  readonly version: TemplateVersion;
  /** Report cells by key (`applications.granted.total`); only value and reason are read. */
  readonly cells: CheckValues;
  /** Narrative facts for S4–S6; omitted, those rules are not run. */
  readonly metadata?: ReportMetadata;
  /** Row totals printed blank, derived from their parts (derive-blank-totals.ts): the rules read these. */
  readonly derived?: ReadonlyMap<string, number>;
}

/**
 * Every rule of domain.md §7 that applies to the version: H1–H10 and S1/S2 over the tables,
 * S4–S6 against the narrative. Rules with missing inputs are skipped; failed hard sums name
 * their likely culprit when one value explains them all.
 */
export function runChecks(input: ChecksInput): Check[] {
  const rules = reportRules(input.version, input.cells);
  const derived = input.derived ?? new Map<string, number>();
  const cells = withDerivedTotals(input.cells, derived);
  const arithmetic = findCulprits(
    rules.map((r) => unverifiableRowTotal(r, derived) ?? evaluateRule(r, cells)),
    rules,
    cells,
  );
  return [
    ...checkValueDomain(input.cells),
    ...arithmetic,
    ...(input.metadata ? checkTextFacts(cells, input.metadata) : []),
  ];
}

/** The rules of the version as the report printed it (a v2021 report may print （六） as one row). */
function reportRules(version: TemplateVersion, cells: CheckValues): Rule[] {
  const single =
    version === 'v2021' &&
    isPresent(cells, 'applications.other_handling.total') &&
    !isPresent(cells, 'applications.other_no_correction.total');
  return rulesFor(version, single);
}

/** The exact sums (H2–H7) of the report's rules: the ones a repair must make hold. */
export function exactSums(version: TemplateVersion, cells: CheckValues): SumRule[] {
  return reportRules(version, cells).filter((r): r is SumRule => r.kind === 'sum' && r.hard);
}

function isPresent(cells: CheckValues, key: string): boolean {
  const cell = cells[key];
  return cell !== undefined && cell.reason !== 'missing';
}
