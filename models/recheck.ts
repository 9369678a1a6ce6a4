import { runChecks } from '../core/checks/run-checks.js';
import type { Check, NullReason, ReportMetadata, TemplateVersion } from '../core/model/index.js';
import type { CheckValue } from '../core/checks/evaluate-rule.js';
import { cellsWithProvenance } from './cell-provenance.js';
import type { ReportRecord } from './report.model.js';

export type RecheckReport = Pick<ReportRecord, 'cells' | 'corrections' | 'templateVersion' | 'metadata'>;

/**
 * The report's values as the checks should see them: a person's decision replaces the reading (a
 * decided null is a blank), `overrides` (a decision being tried) replace both.
 */
export function decidedValues(
  report: RecheckReport,
  overrides: Readonly<Record<string, number | null>> = {},
): Record<string, CheckValue> {
  const values: Record<string, CheckValue> = {};
  const cells = cellsWithProvenance(report);
  report.cells.forEach((cell, i) => {
    const decided = cells[i];
    const override = Object.hasOwn(overrides, cell.key) ? overrides[cell.key] : undefined;
    if (override !== undefined)
      values[cell.key] = override === null ? { value: null, reason: 'blank' } : { value: override };
    else if (decided && decided.provenance.kind !== 'extracted')
      values[cell.key] =
        typeof decided.value === 'number' ? { value: decided.value } : { value: null, reason: 'blank' };
    else values[cell.key] = { value: cell.value, ...(cell.reason ? { reason: cell.reason as NullReason } : {}) };
  });
  return values;
}

/**
 * The document's checks re-run by the core's own rules (core/checks) on the values with the human
 * decisions applied: the same rules an extraction passes, so a human value is held to them too.
 * Empty when the template version is unknown (no rules apply).
 */
export function recheck(report: RecheckReport, overrides: Readonly<Record<string, number | null>> = {}): Check[] {
  const version = report.templateVersion as TemplateVersion | null;
  if (version !== 'v2019' && version !== 'v2021') return [];
  return runChecks({
    version,
    cells: decidedValues(report, overrides),
    metadata: report.metadata as unknown as ReportMetadata,
  });
}

/** The hard rules that fail with `after` but held (or could not run) with `before`: what a decision broke. */
export function newlyFailing(before: readonly Check[], after: readonly Check[]): Check[] {
  const failing = new Set(before.filter((c) => c.hard && c.status === 'fail').map((c) => `${c.rule} ${c.scope}`));
  return after.filter((c) => c.hard && c.status === 'fail' && !failing.has(`${c.rule} ${c.scope}`));
}

/**
 * Failing hard rules not explained by a printed-so mark on one of their cells: the report may print
 * inconsistent numbers, but only a person can say so.
 */
export function unexplainedFailures(report: RecheckReport, checks: readonly Check[]): Check[] {
  const printed = new Set(
    cellsWithProvenance(report)
      .filter((c) => c.provenance.kind === 'printed-inconsistent')
      .map((c) => c.key),
  );
  return checks.filter((c) => c.hard && c.status === 'fail' && !c.keys.some((k) => printed.has(k)));
}
