import type { Check } from '../model/index.js';
import { T3_COLUMNS } from '../report/schema.js';
import { readValue, type CheckValue, type CheckValues } from './evaluate-rule.js';
import type { Rule } from './rules.js';

const PARTS = T3_COLUMNS.filter((c) => c !== 'total');
const ROW_TOTAL = /^applications\.([^.]+)\.total$/;

/**
 * Row totals of table 三 that a born-digital report printed blank while the row's parts hold numbers
 * (domain.md §7.3: Shanghai 2019 fills 总计 only on rows 一, 二, （七） and 四). The blank is not a 0 —
 * H3 cannot check the row, it has not failed — and the total is derived from the parts, all read.
 * OCR blanks are left out: a lost printed total must stay visible. Key → derived total.
 */
export function deriveBlankTotals(cells: CheckValues, isOcr: (key: string) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, cell] of Object.entries(cells)) {
    const row = ROW_TOTAL.exec(key)?.[1];
    if (!row || !cell || cell.value !== null || cell.reason !== 'blank' || isOcr(key)) continue;
    const parts = PARTS.map((c) => readValue(cells, `applications.${row}.${c}`));
    if (parts.some((p) => !p.known)) continue;
    const sum = parts.reduce((s, p) => s + (p.known ? p.value : 0), 0);
    if (sum > 0) out.set(key, sum);
  }
  return out;
}

/** The cells as the other rules read them: a derived total stands where the blank was. */
export function withDerivedTotals(cells: CheckValues, derived: ReadonlyMap<string, number>): CheckValues {
  if (derived.size === 0) return cells;
  const view: Record<string, CheckValue | undefined> = { ...cells };
  for (const [key, value] of derived) view[key] = { value };
  return view;
}

/** H3 on a row whose total was printed blank: unverifiable, not passed (its total was made from the parts). */
export function unverifiableRowTotal(rule: Rule, derived: ReadonlyMap<string, number>): Check | null {
  if (rule.kind !== 'sum' || rule.rule !== 'H3') return null;
  const total = rule.total[0];
  const value = total === undefined ? undefined : derived.get(total);
  if (value === undefined) return null;
  return {
    rule: 'H3',
    hard: true,
    scope: rule.scope,
    status: 'skipped',
    keys: [...rule.total, ...rule.parts],
    expected: null,
    actual: null,
    message: `H3 ${rule.scope} unverifiable: the printed total is blank; derived as ${value} from the parts`,
  };
}
