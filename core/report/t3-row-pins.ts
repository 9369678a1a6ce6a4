import type { MappedValue } from './mapped-value.js';
import { parseNumber } from './parse-number.js';
import type { TableRow } from './read-rows.js';

/**
 * Which rows of table 三 placed by order the labels around them pin (core/report/map-table-three.ts
 * places them): a row placed by order is trusted only when the rows matched by label before and after
 * it leave exactly its slot, and the v2019 layout's one-row （六）其他处理 read from two unlabelled rows.
 */

/**
 * A v2021 table whose rows after 5.要求行政机关确认… went by order, two of them before the labelled
 * 四、结转下年度继续办理: the report prints （六）其他处理 as one row (the v2019 layout, 洪泽区), so
 * they are （六） and （七）总计, not the first two of （六）'s three sub-rows with 总计 lost. The labels
 * were not read, so the values stay flagged (ambiguous) as placed by order.
 */
export function oneOtherRow(placed: readonly Placed[], values: MappedValue[], notes: string[]): MappedValue[] {
  const rows = placed.filter((p) => !p.dropped);
  const at = rows.findIndex((p) => p.key === 'other_no_correction');
  const [six, seven, next] = at >= 0 ? rows.slice(at, at + 3) : [];
  const fits =
    six?.byOrder === true &&
    seven?.byOrder === true &&
    seven.key === 'other_unpaid_fee' &&
    next?.key === 'carried_forward' &&
    !next.byOrder &&
    !rows.some((p) => p.key === 'total_processed');
  if (!fits) return values;
  notes.push(
    'table 三: two unlabelled rows before 四、 read as （六）其他处理 printed as one row and （七）总计; flagged',
  );
  const renamed: Readonly<Record<string, string>> = {
    other_no_correction: 'other_handling',
    other_unpaid_fee: 'total_processed',
  };
  return values.map((v) => {
    const [section, row = '', column] = v.key.split('.');
    const to = renamed[row];
    return to ? { ...v, key: `${section}.${to}.${column}`, ambiguous: true } : v;
  });
}

export interface Placed {
  readonly key: string;
  readonly index: number;
  readonly byOrder: boolean;
  /** A row with numbers that took no key (merged rows, a repeated label, past the last row). */
  readonly dropped?: boolean;
  /** The first template row it stands for when that is not `index` (the one-row （六）其他处理 of a v2019 layout). */
  readonly first?: number;
}
export const DROPPED: Placed = { key: '', index: -1, byOrder: false, dropped: true };

/**
 * Rows placed by order whose position the matched labels around them do not pin down. A run of
 * such rows is pinned when the anchored rows before and after it leave exactly as many template
 * rows between them as the run holds and no row with numbers between them was dropped; otherwise
 * a lost, merged or extra row may have shifted it (a row whose label was not read taking its
 * neighbour's place), and the sums cannot tell (moving rows within the outcome block keeps every
 * H2–H4 sum), so a person must.
 */
export function unpinnedRows(placed: readonly Placed[], rowCount: number): Set<string> {
  const out = new Set<string>();
  const anchored = (p: Placed): boolean => !p.byOrder && !p.dropped;
  for (let i = 0; i < placed.length;) {
    if (anchored(placed[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < placed.length && !anchored(placed[j]!)) j++;
    const before = i > 0 ? placed[i - 1]!.index : -1;
    const after = j < placed.length ? (placed[j]!.first ?? placed[j]!.index) : rowCount;
    const run = placed.slice(i, j);
    // A run with no matched label on either side is placed by order alone: never pinned (淮安市 2024
    // faxed: every label unread, two header lines skipped, a misread 4 → 1 trusted by the count alone).
    const pinned =
      (i > 0 || j < placed.length) &&
      run.every((r) => !r.dropped) &&
      after - before - 1 === run.length &&
      run.every((r, k) => r.index === before + 1 + k);
    if (!pinned) for (const r of run) if (!r.dropped) out.add(r.key);
    i = j;
  }
  return out;
}

/**
 * A label holding two rows' printed words is at least this share of their length together (OCR drops
 * a few), each row's words at least MERGED_MIN_WORDS long: short labels (重复申请) prove nothing.
 */
const MERGED_SHARE = 0.85;
const MERGED_MIN_WORDS = 6;
/** A data row has this many value cells. */
const ROW_VALUES = 7;

/**
 * The row before `spec` in the template when the label matched as `spec` holds both rows' printed
 * words (a lost rule between the two label cells joined them) and the next row has seven value cells
 * and no label: the labels are the two rows', the values the first's, the unlabelled row the second's
 * (UMing standard __0: 一、本年新收… and 二、上年结转… read as one label matched as 上年结转, so 本年新收's
 * numbers went to 上年结转 and every row under it moved down one). Placed by order, flagged.
 */
export function twoLabelsInOne<S extends { readonly key: string }>(
  label: string,
  spec: S,
  specs: readonly S[],
  lastIndex: number,
  next: TableRow | undefined,
  words: (key: string) => string,
): S | undefined {
  const k = specs.indexOf(spec);
  const before = k - 1 > lastIndex ? specs[k - 1] : undefined;
  if (!before || !next || next.label !== '') return undefined;
  const full = next.values.length >= ROW_VALUES && next.values.some((c) => parseNumber(c.text).ok);
  const [a, b] = [words(before.key).length, words(spec.key).length];
  const long = a >= MERGED_MIN_WORDS && b >= MERGED_MIN_WORDS && label.length >= MERGED_SHARE * (a + b);
  return full && long ? before : undefined;
}
