import type { Cell } from '../model/index.js';
import { normalizeLabel } from './normalize-label.js';
import { isValueText } from './parse-number.js';
import type { T2ItemSpec } from './schema.js';

// Rows of 表二 placed by their mini-table's shape or order when their labels did not read (map-table-two).

/**
 * A 表二 row whose label did not read holds its item by print order when the item rows under its
 * mini-table's header, down to the next caption (or to the end of 表二), are exactly as many as the
 * mini-table's items (UMing fine __1: 规章 printed blank and read 规划, then 规范性文件 read 让论上-文件
 * was taken for 规章 by shape and 规范性文件 went missing; 政府集中采购 read 中对集中不网, blank as
 * printed, the last row of 表二). Placed by order, its values are flagged.
 *
 * `rows` are the rows of the table under the header; `isCaption(i)` says whether row i starts the
 * next mini-table; `last` is whether this table is 表二's last (no rows follow on another page).
 */
export function fillsGroupByOrder(
  rows: readonly (readonly Cell[])[],
  slots: number,
  isCaption: (i: number) => boolean,
  last: boolean,
): boolean {
  let items = 0;
  for (let i = 0; i < rows.length; i++) {
    if (isCaption(i)) return items === slots;
    // Item rows have a label and values; a single cell is a caption or a stray band, never an item.
    if ((rows[i]?.length ?? 0) < 2) return false;
    items++;
  }
  return last && items === slots;
}

/**
 * An item row whose label OCR garbled past matching, placed by the printed shape of its mini-table:
 * the next item of the caption above it not yet placed, when the row has that item's number of value
 * cells (v2021 (八) holds only 行政事业性收费). Which item it is was a guess: its values are flagged.
 * `valuesFrom` is the grid column of the first header column after 信息内容, when a header was read.
 * A column rule lost beside the label leaves the first value in the label's cell, the rule read as `|`
 * (淮安市 faxed: `行政是全文体 | 8 1`), or the label lost and only the values in the row (`1 | 0 | 11`).
 */
export function itemByShape(
  cells: readonly Cell[],
  group: readonly string[] | undefined,
  items: readonly T2ItemSpec[],
  done: ReadonlySet<string>,
  valuesFrom: number | undefined,
): { readonly item: T2ItemSpec; readonly values: readonly Cell[] } | undefined {
  const item = group?.map((k) => items.find((i) => i.key === k)).find((i) => i && !done.has(i.key));
  const first = cells[0];
  if (!item || !first) return undefined;
  // Numbers (a header row whose caption word was misread has words there); a value misread as a mark
  // (8 read X) is no word: it is placed and caught as unparsable. A value lost to blank in a cell of
  // its own counts (its place is known; placed by shape, it is flagged like the rest).
  const fits = (values: readonly Cell[]): boolean =>
    values.some((c) => c.text.trim() !== '' && isValueText(c.text)) &&
    values.every((c) => isValueText(c.text) || !/[\u4e00-\u9fff]/.test(c.text)) &&
    (values.filter((c) => c.text.trim() !== '').length === item.columns.length ||
      (values.length === item.columns.length && values.every((c) => c.colSpan === 1)));
  const bar = first.text.indexOf('|');
  const label = normalizeLabel(bar >= 0 ? first.text.slice(0, bar) : first.text);
  const rest = bar >= 0 ? [{ ...first, text: first.text.slice(bar + 1) }, ...cells.slice(1)] : cells.slice(1);
  if (/[\u4e00-\u9fff]{2}/.test(label) && fits(rest)) return { item, values: rest };
  // A label cell of its own under the 信息内容 caption, however it read (规章 read 出, 行政强制 read 42),
  // beside exactly the item's values.
  const inLabelColumn = valuesFrom !== undefined && first.col + first.colSpan <= valuesFrom;
  if (bar < 0 && inLabelColumn && first.text.trim() !== '' && fits(rest)) return { item, values: rest };
  // A speck before the rule read as `|` inside a label cell of its own (淮安市 fine, its column rule
  // found: `“ | 地剖` for 规章): the label is what follows it.
  if (bar >= 0 && /[\u4e00-\u9fff]{2}/.test(normalizeLabel(first.text.slice(bar + 1))) && fits(cells.slice(1)))
    return { item, values: cells.slice(1) };
  const bare = first.text.trim() !== '' && isValueText(first.text);
  return bare && cells.length === item.columns.length && fits(cells) ? { item, values: cells } : undefined;
}

/**
 * The item of its mini-table a row would hold by its place (the next not yet placed) when the row has
 * the header's shape: a label cell and one cell under each header column, some value written.
 */
export function lostItem(
  cells: readonly Cell[],
  header: readonly unknown[],
  group: readonly string[] | undefined,
  done: ReadonlySet<string>,
  pinned: (slot: string | undefined) => boolean,
): string | undefined {
  const values = cells.slice(1);
  const slot = group?.find((k) => !done.has(k));
  // A row of blanks is the item's too when the row under it pins the slot (synth-2019-0: 规章 read 枫革, left blank as printed).
  const shaped = values.length === header.length && (values.some((c) => c.text.trim() !== '') || pinned(slot));
  return shaped ? slot : undefined;
}
