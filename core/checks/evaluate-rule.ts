import type { Check, NullReason } from '../model/index.js';
import type { BoundRule, NonNegativeRule, Rule, SumRule } from './rules.js';

/** The part of a report cell the rules read. */
export interface CheckValue {
  readonly value: number | null;
  readonly reason?: NullReason;
}
export type CheckValues = Readonly<Record<string, CheckValue | undefined>>;

/** Sums are compared with this slack: decimals (万元) carry binary rounding noise. */
const EPSILON = 1e-6;

type Read =
  | { readonly known: true; readonly value: number; readonly blank: boolean }
  | { readonly known: false; readonly why: string };

/** Blank means "none" (domain.md §7.3), so it counts as 0; missing or unparsable values are unknown. */
export function readValue(values: CheckValues, key: string): Read {
  const v = values[key];
  if (!v || v.reason === 'missing') return { known: false, why: `${key} missing` };
  if (v.reason === 'unparsable') return { known: false, why: `${key} unparsable` };
  if (v.value === null) return { known: true, value: 0, blank: true };
  return { known: true, value: v.value, blank: false };
}

function short(key: string): string {
  return key.split('.').slice(1).join('.');
}

function skipped(rule: Rule, keys: readonly string[], why: readonly string[]): Check {
  return {
    rule: rule.rule,
    hard: rule.hard,
    scope: rule.scope,
    status: 'skipped',
    keys,
    expected: null,
    actual: null,
    message: `${rule.rule} ${rule.scope} skipped: ${why.join(', ')}`,
  };
}

function sumOf(
  values: CheckValues,
  keys: readonly string[],
): { sum: number; unknown: string[]; allZero: boolean; blanks: number } {
  let sum = 0;
  let allZero = true;
  let blanks = 0;
  const unknown: string[] = [];
  for (const key of keys) {
    const r = readValue(values, key);
    if (!r.known) {
      unknown.push(r.why);
      continue;
    }
    sum += r.value;
    if (r.value !== 0) allZero = false;
    if (r.blank) blanks++;
  }
  return { sum, unknown, allZero, blanks };
}

function evaluateSum(rule: SumRule, values: CheckValues): Check {
  const keys = [...rule.total, ...rule.parts];
  const total = sumOf(values, rule.total);
  const parts = sumOf(values, rule.parts);
  const unknown = [...total.unknown, ...parts.unknown];
  if (unknown.length > 0) return skipped(rule, keys, unknown);
  const passed = Math.abs(total.sum - parts.sum) < EPSILON;
  const blanks = total.blanks + parts.blanks;
  const note = blanks > 0 ? ` (${blanks} blank cell${blanks > 1 ? 's' : ''} counted as 0)` : '';
  const lhs = rule.total.map(short).join(' + ');
  const message = passed
    ? `${rule.rule} ${rule.scope}: ${lhs} = ${fmt(total.sum)} holds${note}`
    : `${rule.rule} ${rule.scope}: ${lhs} = ${fmt(total.sum)}, but the parts add up to ${fmt(parts.sum)}${note}`;
  return {
    rule: rule.rule,
    hard: rule.hard,
    scope: rule.scope,
    status: passed ? 'pass' : 'fail',
    keys,
    expected: round(parts.sum),
    actual: round(total.sum),
    message,
    ...(passed && total.allZero && parts.allZero ? { trivial: true } : {}),
  };
}

function evaluateBound(rule: BoundRule, values: CheckValues): Check {
  const bound = sumOf(values, rule.bound);
  const allKeys = [...rule.items, ...rule.bound];
  if (bound.unknown.length > 0) return skipped(rule, allKeys, bound.unknown);
  const over: string[] = [];
  let worst = -Infinity;
  let allZero = bound.allZero;
  for (const key of rule.items) {
    const r = readValue(values, key);
    if (!r.known) continue;
    if (r.value !== 0) allZero = false;
    if (r.value > bound.sum + EPSILON) {
      over.push(key);
      worst = Math.max(worst, r.value);
    }
  }
  const boundText = rule.bound.map(short).join(' + ');
  if (over.length === 0) {
    return {
      rule: rule.rule,
      hard: rule.hard,
      scope: rule.scope,
      status: 'pass',
      keys: allKeys,
      expected: round(bound.sum),
      actual: null,
      message: `${rule.rule} ${rule.scope}: every value ≤ ${boundText} = ${fmt(bound.sum)}`,
      ...(allZero ? { trivial: true } : {}),
    };
  }
  return {
    rule: rule.rule,
    hard: rule.hard,
    scope: rule.scope,
    status: 'fail',
    keys: [...over, ...rule.bound],
    expected: round(bound.sum),
    actual: round(worst),
    message: `${rule.rule} ${rule.scope}: ${over.map(short).join(', ')} exceed${over.length === 1 ? 's' : ''} ${boundText} = ${fmt(bound.sum)}`,
  };
}

function evaluateNonNegative(rule: NonNegativeRule, values: CheckValues): Check {
  const s = sumOf(values, rule.keys);
  if (s.unknown.length > 0) return skipped(rule, rule.keys, s.unknown);
  const passed = s.sum >= 0;
  const what = rule.keys.map(short).join(' + ');
  return {
    rule: rule.rule,
    hard: rule.hard,
    scope: rule.scope,
    status: passed ? 'pass' : 'fail',
    keys: rule.keys,
    expected: 0,
    actual: round(s.sum),
    message: passed
      ? `${rule.rule} ${rule.scope}: ${what} = ${fmt(s.sum)} ≥ 0`
      : `${rule.rule} ${rule.scope}: ${what} = ${fmt(s.sum)} is negative`,
    ...(passed && s.allZero ? { trivial: true } : {}),
  };
}

/** Applies one rule of domain.md §7 to the values. */
export function evaluateRule(rule: Rule, values: CheckValues): Check {
  switch (rule.kind) {
    case 'sum':
      return evaluateSum(rule, values);
    case 'bound':
      return evaluateBound(rule, values);
    case 'non-negative':
      return evaluateNonNegative(rule, values);
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function fmt(x: number): string {
  return String(round(x));
}
