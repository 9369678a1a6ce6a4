import type { Check } from '../model/index.js';
import { evaluateRule, readValue, type CheckValues } from './evaluate-rule.js';
import type { Rule, SumRule } from './rules.js';

function sectionOf(key: string): string {
  return key.split('.')[0] ?? '';
}

function knownSum(values: CheckValues, keys: readonly string[]): number | null {
  let sum = 0;
  for (const key of keys) {
    const r = readValue(values, key);
    if (!r.known) return null;
    sum += r.value;
  }
  return sum;
}

/** The value `key` needs for `rule` (a failed sum) to hold, the others unchanged. */
function needed(rule: SumRule, values: CheckValues, key: string): number | null {
  const total = knownSum(values, rule.total);
  const parts = knownSum(values, rule.parts);
  const current = readValue(values, key);
  if (!current.known || total === null || parts === null) return null;
  const diff = total - parts;
  return rule.total.includes(key) ? current.value - diff : current.value + diff;
}

/**
 * Names the likely culprit of failed hard sum rules: within one table, the single value that is
 * part of every failed sum and whose corrected value makes all of them hold without breaking any
 * rule that passes (a cell in both the failing H3 row and the failing H4 column). When several
 * values would do (a lone failed H5), nobody is named.
 */
export function findCulprits(checks: readonly Check[], rules: readonly Rule[], values: CheckValues): Check[] {
  const sums = rules.filter((r): r is SumRule => r.kind === 'sum' && r.hard);
  const failedIdx = checks
    .map((c, i) =>
      c.status === 'fail' && c.hard && sums.some((r) => r.rule === c.rule && r.scope === c.scope) ? i : -1,
    )
    .filter((i) => i >= 0);
  const out = checks.slice();
  const sections = new Set(failedIdx.flatMap((i) => checks[i]?.keys.map(sectionOf) ?? []));
  for (const section of sections) {
    const failed = failedIdx.filter((i) => checks[i]?.keys.some((k) => sectionOf(k) === section));
    const firstFailed = checks[failed[0] ?? -1];
    if (!firstFailed) continue;
    const candidates = firstFailed.keys.filter((k) => failed.every((i) => checks[i]?.keys.includes(k)));
    const fixes: { key: string; value: number }[] = [];
    for (const key of candidates) {
      const rule = sums.find((r) => r.rule === firstFailed.rule && r.scope === firstFailed.scope);
      const value = rule ? needed(rule, values, key) : null;
      if (value === null || value < 0) continue;
      const trial: CheckValues = { ...values, [key]: { value } };
      const touched = rules.filter((r) => r.hard && keysOf(r).includes(key));
      if (touched.every((r) => evaluateRule(r, trial).status !== 'fail')) fixes.push({ key, value });
    }
    const fix = fixes.length === 1 ? fixes[0] : undefined;
    if (!fix) continue;
    for (const i of failed) {
      const c = out[i];
      if (c)
        out[i] = {
          ...c,
          culprit: fix.key,
          suggestion: fix.value,
          message: `${c.message}; likely culprit ${fix.key} (would be ${fix.value})`,
        };
    }
  }
  return out;
}

function keysOf(rule: Rule): readonly string[] {
  switch (rule.kind) {
    case 'sum':
      return [...rule.total, ...rule.parts];
    case 'bound':
      return [...rule.items, ...rule.bound];
    case 'non-negative':
      return rule.keys;
  }
}
