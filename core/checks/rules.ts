import type { RuleId, TemplateVersion } from '../model/index.js';
import { T2_ITEMS, T3_COLUMNS, T3_ORG_COLUMNS, t3RowKeys } from '../report/schema.js';

/** Σ total = Σ parts (H2–H7). */
export interface SumRule {
  readonly kind: 'sum';
  readonly rule: RuleId;
  readonly hard: boolean;
  readonly scope: string;
  readonly total: readonly string[];
  readonly parts: readonly string[];
}

/** Each item ≤ Σ bound (H8–H10, S1, S2). */
export interface BoundRule {
  readonly kind: 'bound';
  readonly rule: RuleId;
  readonly hard: boolean;
  readonly scope: string;
  readonly items: readonly string[];
  readonly bound: readonly string[];
}

/** Σ keys ≥ 0 (S1: prev_year_items + items_change). */
export interface NonNegativeRule {
  readonly kind: 'non-negative';
  readonly rule: RuleId;
  readonly hard: boolean;
  readonly scope: string;
  readonly keys: readonly string[];
}

export type Rule = SumRule | BoundRule | NonNegativeRule;

const t3 = (row: string, col: string): string => `applications.${row}.${col}`;
const t2 = (item: string, col: string): string => `active_disclosure.${item}.${col}`;
const t4 = (key: string): string => `review_litigation.${key}`;

/** Outcome rows of table 三 that （七）总计 adds up (H4), from its data rows. */
export function outcomeRows(dataRows: readonly string[]): string[] {
  return dataRows.slice(dataRows.indexOf('granted'), dataRows.indexOf('total_processed'));
}

/**
 * The arithmetic rules of domain.md §7 for one template version, as data. `singleOtherRow`: a
 * v2021 report that prints （六）其他处理 as one row, which then stands for the three sub-rows.
 */
export function rulesFor(version: TemplateVersion, singleOtherRow = false): Rule[] {
  const rules: Rule[] = [];
  const dataRows = t3RowKeys(version, singleOtherRow);
  const outcomes = outcomeRows(dataRows);
  for (const c of T3_COLUMNS) {
    rules.push({
      kind: 'sum',
      rule: 'H2',
      hard: true,
      scope: `column ${c}`,
      total: [t3('new_received', c), t3('carried_over', c)],
      parts: [t3('total_processed', c), t3('carried_forward', c)],
    });
  }
  for (const r of dataRows) {
    rules.push({
      kind: 'sum',
      rule: 'H3',
      hard: true,
      scope: `row ${r}`,
      total: [t3(r, 'total')],
      parts: ['natural_person', ...T3_ORG_COLUMNS].map((c) => t3(r, c)),
    });
  }
  for (const c of T3_COLUMNS) {
    rules.push({
      kind: 'sum',
      rule: 'H4',
      hard: true,
      scope: `column ${c}`,
      total: [t3('total_processed', c)],
      parts: outcomes.map((r) => t3(r, c)),
    });
  }
  const groups = [
    ['H5', 'review'],
    ['H6', 'lit_direct'],
    ['H7', 'lit_after_review'],
  ] as const;
  for (const [rule, group] of groups) {
    const parts = ['upheld', 'corrected', 'other', 'pending'].map((o) => t4(`${group}_${o}`));
    rules.push({ kind: 'sum', rule, hard: true, scope: `group ${group}`, total: [t4(`${group}_total`)], parts });
  }
  for (const c of T3_COLUMNS) {
    rules.push({
      kind: 'bound',
      rule: 'H8',
      hard: true,
      scope: `column ${c}`,
      items: [t3('carried_forward', c), t3('total_processed', c)],
      bound: [t3('new_received', c), t3('carried_over', c)],
    });
  }
  for (const r of dataRows) {
    rules.push({
      kind: 'bound',
      rule: 'H9',
      hard: true,
      scope: `row ${r}`,
      items: ['natural_person', ...T3_ORG_COLUMNS].map((c) => t3(r, c)),
      bound: [t3(r, 'total')],
    });
  }
  for (const c of T3_COLUMNS) {
    rules.push({
      kind: 'bound',
      rule: 'H10',
      hard: true,
      scope: `column ${c}`,
      items: outcomes.map((r) => t3(r, c)),
      bound: [t3('total_processed', c)],
    });
  }
  if (version === 'v2019') {
    for (const item of T2_ITEMS.v2019.filter((i) => i.columns.includes('items_change'))) {
      rules.push({
        kind: 'non-negative',
        rule: 'S1',
        hard: false,
        scope: `item ${item.key}`,
        keys: [t2(item.key, 'prev_year_items'), t2(item.key, 'items_change')],
      });
    }
    for (const item of ['regulations', 'normative_docs']) {
      rules.push({
        kind: 'bound',
        rule: 'S1',
        hard: false,
        scope: `item ${item}`,
        items: [t2(item, 'new_published')],
        bound: [t2(item, 'total_published')],
      });
    }
  } else {
    for (const item of ['regulations', 'normative_docs']) {
      rules.push({
        kind: 'bound',
        rule: 'S2',
        hard: false,
        scope: `item ${item}`,
        items: [t2(item, 'issued')],
        bound: [t2(item, 'in_force'), t2(item, 'repealed')],
      });
    }
  }
  return rules;
}
