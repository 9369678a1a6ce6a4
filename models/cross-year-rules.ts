import { T2_ITEMS, T3_COLUMNS } from '../core/report/schema.js';

/**
 * Rule S3 of domain.md §7.2 between two consecutive reports of one issuer, on the values a reader
 * would use (human corrections applied). Pure: the adapter (cross-year-checks.ts) reads the reports
 * and writes the results on both of them.
 *
 * The links differ in strength, so they differ in what a failure costs:
 * - `strong`: 上年结转 of year Y = 结转下年度继续办理 of Y−1, column by column. The same requests are
 *   counted twice by one office a few weeks apart; it held in all six pairs of one real issuer's
 *   seven reports (issue 15) and in our real pair (洪泽区 2023 → 2024). A failure flags the cells
 *   on both reports.
 * - `note`: the in_force chain of 规章 / 规范性文件 (v2021) and the prev_year_items chain (v2019).
 *   Offices clean up and restate these lists: the in_force chain broke in three of four pairs of
 *   that issuer. A failure is a note on the issuer's timeline, never a flag.
 * A rule runs only when every key it needs exists on both sides, so across the 2020 → 2021 template
 * change only the carried-over link runs (table 三's rows exist in both templates).
 */

export type LinkStrength = 'strong' | 'note';

/** One year of one issuer as S3 reads it. */
export interface YearReading {
  readonly sha256: string;
  readonly year: number;
  /** Effective values of the keys the report has (blank read as 0: a blank means none). */
  readonly values: ReadonlyMap<string, number>;
  /** Keys a person corrected or confirmed. */
  readonly decided: ReadonlySet<string>;
}

/** One S3 comparison between year Y−1 (`prev`) and year Y (`cur`). */
export interface S3Link {
  readonly strength: LinkStrength;
  readonly scope: string;
  /** Keys on the report of year Y. */
  readonly curKeys: readonly string[];
  /** Keys on the report of year Y−1. */
  readonly prevKeys: readonly string[];
  readonly expected: number;
  readonly actual: number;
  readonly status: 'pass' | 'fail';
  /** A person decided one of the cells involved, on either side: the failure is settled. */
  readonly settled: boolean;
  readonly message: string;
}

/** The schema decides which items carry each chain: 规章 and 规范性文件 (v2021), the five licensing-like items (v2019). */
const IN_FORCE_ITEMS = T2_ITEMS.v2021.filter((i) => i.columns.includes('in_force')).map((i) => i.key);
const PREV_ITEMS = T2_ITEMS.v2019.filter((i) => i.columns.includes('prev_year_items')).map((i) => i.key);

interface Rule {
  readonly strength: LinkStrength;
  readonly scope: string;
  readonly curKeys: readonly string[];
  readonly prevKeys: readonly string[];
  /** Expected value of the first current key from the others. */
  readonly expected: (cur: readonly number[], prev: readonly number[]) => number;
  readonly describe: (cur: readonly number[], prev: readonly number[], y: number) => string;
}

const RULES: readonly Rule[] = [
  ...T3_COLUMNS.map((c): Rule => ({
    strength: 'strong',
    scope: `carried_over.${c}`,
    curKeys: [`applications.carried_over.${c}`],
    prevKeys: [`applications.carried_forward.${c}`],
    expected: (_cur, prev) => prev[0]!,
    describe: (cur, prev, y) =>
      `上年结转 ${c} of ${y} is ${cur[0]}, 结转下年 of ${y - 1} is ${prev[0]}: they count the same requests`,
  })),
  ...IN_FORCE_ITEMS.map((item): Rule => ({
    strength: 'note',
    scope: `${item}.in_force`,
    curKeys: [
      `active_disclosure.${item}.in_force`,
      `active_disclosure.${item}.issued`,
      `active_disclosure.${item}.repealed`,
    ],
    prevKeys: [`active_disclosure.${item}.in_force`],
    expected: (cur, prev) => prev[0]! + cur[1]! - cur[2]!,
    describe: (cur, prev, y) =>
      `${item} in force ${cur[0]} in ${y}; ${prev[0]} in ${y - 1} + ${cur[1]} issued − ${cur[2]} repealed = ${prev[0]! + cur[1]! - cur[2]!}`,
  })),
  ...PREV_ITEMS.map((item): Rule => ({
    strength: 'note',
    scope: `${item}.prev_year_items`,
    curKeys: [`active_disclosure.${item}.prev_year_items`],
    prevKeys: [`active_disclosure.${item}.prev_year_items`, `active_disclosure.${item}.items_change`],
    expected: (_cur, prev) => prev[0]! + prev[1]!,
    describe: (cur, prev, y) =>
      `${item} 上一年项目数量 ${cur[0]} in ${y}; ${prev[0]} + change ${prev[1]} in ${y - 1} = ${prev[0]! + prev[1]!}`,
  })),
];

/** Every S3 link between `prev` (year Y−1) and `cur` (year Y) whose keys both reports have. */
export function evaluateS3(prev: YearReading, cur: YearReading): S3Link[] {
  if (cur.year !== prev.year + 1) return [];
  const out: S3Link[] = [];
  for (const rule of RULES) {
    const curValues = rule.curKeys.map((k) => cur.values.get(k));
    const prevValues = rule.prevKeys.map((k) => prev.values.get(k));
    if (curValues.some((v) => v === undefined) || prevValues.some((v) => v === undefined)) continue;
    const c = curValues as number[];
    const p = prevValues as number[];
    const expected = rule.expected(c, p);
    const actual = c[0]!;
    const status = Math.abs(expected - actual) < 1e-9 ? 'pass' : 'fail';
    const settled = rule.curKeys.some((k) => cur.decided.has(k)) || rule.prevKeys.some((k) => prev.decided.has(k));
    out.push({
      strength: rule.strength,
      scope: rule.scope,
      curKeys: rule.curKeys,
      prevKeys: rule.prevKeys,
      expected,
      actual,
      status,
      settled,
      message: rule.describe(c, p, cur.year),
    });
  }
  return out;
}
