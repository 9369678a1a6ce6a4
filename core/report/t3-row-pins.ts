import type { MappedValue } from './mapped-value.js';

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
