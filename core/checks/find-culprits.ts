import type { Check, CulpritFix } from '../model/index.js';
import { evaluateRule, readValue, type CheckValues } from './evaluate-rule.js';
import type { Rule, SumRule } from './rules.js';

type Explanation = readonly CulpritFix[];

function sectionOf(key: string): string {
  return key.split('.')[0] ?? '';
}

/** Σ total − Σ parts of a sum rule, or null when a value is unknown. */
function residual(rule: SumRule, values: CheckValues): number | null {
  let r = 0;
  for (const [keys, sign] of [
    [rule.total, 1],
    [rule.parts, -1],
  ] as const) {
    for (const key of keys) {
      const v = readValue(values, key);
      if (!v.known) return null;
      r += sign * v.value;
    }
  }
  return r;
}

/** How raising `key` by one moves the rule's residual. */
function signOf(rule: SumRule, key: string): -1 | 0 | 1 {
  return rule.total.includes(key) ? 1 : rule.parts.includes(key) ? -1 : 0;
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

/**
 * One table's failed sums and the search for the values that explain them. An explanation is a set
 * of changed values after which every failed sum holds and no hard rule touching a changed value
 * fails (bounds and non-negativity included).
 */
class Explainer {
  constructor(
    private readonly failed: readonly SumRule[],
    private readonly rules: readonly Rule[],
    private readonly values: CheckValues,
  ) {}

  private current(key: string): number | null {
    const v = readValue(this.values, key);
    return v.known ? v.value : null;
  }

  private holds(fixes: Explanation): boolean {
    if (fixes.some((f) => f.value < 0)) return false;
    const trial: Record<string, { value: number }> = {};
    for (const f of fixes) trial[f.key] = { value: f.value };
    const values: CheckValues = { ...this.values, ...trial };
    const changed = new Set(fixes.map((f) => f.key));
    const touched = this.rules.filter((r) => r.hard && keysOf(r).some((k) => changed.has(k)));
    return [...touched, ...this.failed].every((r) => evaluateRule(r, values).status !== 'fail');
  }

  /** Single values in every failed sum whose corrected value makes everything hold. */
  singles(): Explanation[] {
    const [first, ...rest] = this.failed;
    if (!first) return [];
    const r = residual(first, this.values);
    if (r === null) return [];
    const out: Explanation[] = [];
    for (const key of keysOf(first)) {
      if (!rest.every((rule) => signOf(rule, key) !== 0)) continue;
      const value = this.current(key);
      if (value === null) continue;
      const fix = [{ key, value: value - r / signOf(first, key) }];
      if (this.holds(fix)) out.push(fix);
    }
    return out;
  }

  /**
   * Pairs of values that moved together: a value and the total computed from it, as a spreadsheet
   * prints them (a slip in a cell carried into its row total keeps H3 holding and breaks the
   * columns). The pair shares a passing sum with opposite signs and changes by the same amount, so
   * like a single value it has one degree of freedom (two independent slips are independents()).
   */
  pairs(): Explanation[] {
    const sums = this.rules.filter((r): r is SumRule => r.kind === 'sum' && r.hard);
    const keys = [...new Set(this.failed.flatMap(keysOf))];
    const out: Explanation[] = [];
    for (const a of keys) {
      for (const b of keys) {
        if (a >= b) continue;
        if (!this.failed.every((rule) => signOf(rule, a) !== 0 || signOf(rule, b) !== 0)) continue;
        const tied = sums.some((rule) => signOf(rule, a) !== 0 && signOf(rule, a) === -signOf(rule, b));
        if (!tied) continue;
        const fix = this.solveTogether(
          sums.filter((rule) => signOf(rule, a) !== 0 || signOf(rule, b) !== 0),
          a,
          b,
        );
        if (fix) out.push(fix);
      }
    }
    return out;
  }

  /**
   * Two independent slips: a and b each changed by what a failed rule holding only it says, after
   * which every failed rule and every hard rule they touch hold. `pinned` says whether each is pinned
   * by the failed H3 of its own row (the row's total ≠ the sum of its parts); findCulprits names such
   * a pair only when no other explanation of any kind fits, so every pair is listed here.
   */
  independents(): { fix: Explanation; pinned: boolean }[] {
    const keys = [...new Set(this.failed.flatMap(keysOf))];
    const out: { fix: Explanation; pinned: boolean }[] = [];
    for (const a of keys) {
      for (const b of keys) {
        if (a >= b) continue;
        if (!this.failed.every((rule) => signOf(rule, a) !== 0 || signOf(rule, b) !== 0)) continue;
        const fa = this.ownFix(a, b);
        const fb = this.ownFix(b, a);
        if (!fa || !fb) continue;
        const fix = [fa.fix, fb.fix];
        if (this.holds(fix)) out.push({ fix, pinned: fa.rowSum && fb.rowSum });
      }
    }
    return out;
  }

  /** The value of `key` that makes the first failed rule holding it but not `other` hold. */
  private ownFix(key: string, other: string): { fix: CulpritFix; rowSum: boolean } | null {
    const own = this.failed.filter((rule) => signOf(rule, key) !== 0 && signOf(rule, other) === 0);
    const first = own[0];
    const value = this.current(key);
    const r = first ? residual(first, this.values) : null;
    if (!first || value === null || r === null || r === 0) return null;
    return { fix: { key, value: value - r / signOf(first, key) }, rowSum: own.some((rule) => rule.rule === 'H3') };
  }

  /** The common change δ with residual + (sa + sb)·δ = 0 in every sum touching a or b. */
  private solveTogether(sums: readonly SumRule[], a: string, b: string): Explanation | null {
    const va = this.current(a);
    const vb = this.current(b);
    if (va === null || vb === null) return null;
    const eqs: { r: number; s: number }[] = [];
    for (const rule of sums) {
      const r = residual(rule, this.values);
      if (r === null) return null;
      eqs.push({ r, s: signOf(rule, a) + signOf(rule, b) });
    }
    const pivot = eqs.find((e) => e.s !== 0);
    if (!pivot) return null;
    const delta = -pivot.r / pivot.s;
    if (delta === 0 || !eqs.every((e) => Math.abs(e.r + e.s * delta) < 1e-6)) return null;
    const fix = [
      { key: a, value: va + delta },
      { key: b, value: vb + delta },
    ];
    return this.holds(fix) ? fix : null;
  }
}

function describe(fixes: Explanation): string {
  const parts = fixes.map((f) => `${f.key} (would be ${f.value})`);
  return fixes.length === 1 ? `likely culprit ${parts[0]}` : `likely culprits ${parts.join(' and ')}`;
}

const identity = (fix: Explanation): string =>
  fix
    .map((f) => `${f.key}=${f.value}`)
    .sort()
    .join(' ');

/**
 * The one explanation of a table's failed sums, or none: a single value if any fits (named when it
 * is the only one); else a pair, carried or independent, named when it is the only pair that fits
 * and, if independent, each of its values is pinned by its own row's failed H3.
 */
function uniqueExplanation(explainer: Explainer): Explanation | undefined {
  const singles = explainer.singles();
  if (singles.length > 0) return singles.length === 1 ? singles[0] : undefined;
  const found = new Map<string, { fix: Explanation; pinned: boolean }>();
  for (const fix of explainer.pairs()) found.set(identity(fix), { fix, pinned: true });
  for (const pair of explainer.independents()) if (!found.has(identity(pair.fix))) found.set(identity(pair.fix), pair);
  const [only, ...others] = found.values();
  return only && others.length === 0 && only.pinned ? only.fix : undefined;
}

/**
 * Names the likely culprits of failed hard sum rules, table by table: the one value, or failing
 * that the one pair of values (a cell and the total computed from it, which moved together, or two
 * independent slips each pinned by its own row's failed H3), whose correction makes every failed
 * sum hold without breaking any rule they take part in. Only a unique explanation is named: when
 * several would do (a lone failed H5, the same slip possible in any of three rows, two equal slips
 * that could sit in either corner of a rectangle), nobody is.
 */
export function findCulprits(checks: readonly Check[], rules: readonly Rule[], values: CheckValues): Check[] {
  const sums = rules.filter((r): r is SumRule => r.kind === 'sum' && r.hard);
  const ruleOf = (c: Check): SumRule | undefined => sums.find((r) => r.rule === c.rule && r.scope === c.scope);
  const failedIdx = checks.flatMap((c, i) => (c.status === 'fail' && c.hard && ruleOf(c) ? [i] : []));
  const out = checks.slice();
  const sections = new Set(failedIdx.flatMap((i) => checks[i]!.keys.map(sectionOf)));
  for (const section of sections) {
    const failed = failedIdx.filter((i) => checks[i]!.keys.some((k) => sectionOf(k) === section));
    const explainer = new Explainer(
      failed.map((i) => ruleOf(checks[i]!)!),
      rules,
      values,
    );
    const fixes = uniqueExplanation(explainer);
    if (!fixes) continue;
    for (const i of failed) {
      const c = out[i]!;
      const own = fixes.find((f) => c.keys.includes(f.key)) ?? fixes[0]!;
      out[i] = {
        ...c,
        culprit: own.key,
        suggestion: own.value,
        culprits: fixes,
        message: `${c.message}; ${describe(fixes)}`,
      };
    }
  }
  return out;
}
