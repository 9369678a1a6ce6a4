import type { Check } from '../model/index.js';
import type { ReportSection } from '../model/index.js';
import { numberKindOf } from '../report/schema.js';
import type { CheckValues } from './evaluate-rule.js';

const SECTIONS: readonly ReportSection[] = ['active_disclosure', 'applications', 'review_litigation'];

/**
 * H1 per standard table: counts are integers ≥ 0, `items_change` is a signed integer, fee and
 * procurement amounts are decimals ≥ 0. One check per table; a failure lists the offending keys.
 */
export function checkValueDomain(values: CheckValues): Check[] {
  const checks: Check[] = [];
  for (const section of SECTIONS) {
    const keys = Object.keys(values).filter((k) => k.startsWith(`${section}.`));
    const present = keys.filter((k) => values[k]?.value !== null && values[k]?.value !== undefined);
    if (present.length === 0) {
      checks.push({
        rule: 'H1',
        hard: true,
        scope: `table ${section}`,
        status: 'skipped',
        keys: [],
        expected: null,
        actual: null,
        message: `H1 ${section} skipped: no numbers`,
      });
      continue;
    }
    const bad = present.filter((k) => {
      const v = values[k]?.value ?? 0;
      const kind = numberKindOf(k);
      if (kind === 'signed') return !Number.isInteger(v);
      if (kind === 'decimal') return v < 0;
      return !Number.isInteger(v) || v < 0;
    });
    checks.push({
      rule: 'H1',
      hard: true,
      scope: `table ${section}`,
      status: bad.length === 0 ? 'pass' : 'fail',
      keys: bad,
      expected: null,
      actual: null,
      message:
        bad.length === 0
          ? `H1 ${section}: ${present.length} values are in range`
          : `H1 ${section}: ${bad.map((k) => `${k}=${values[k]?.value}`).join(', ')} not a valid count`,
    });
  }
  return checks;
}
