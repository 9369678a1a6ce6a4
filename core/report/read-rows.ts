import type { Cell, Table } from '../model/index.js';
import { normalizeLabel } from './normalize-label.js';
import { isValueText } from './parse-number.js';

export interface TableRow {
  readonly table: Table;
  /** Grid row index within the table. */
  readonly index: number;
  /** Cells whose top-left corner is in this row, left to right. */
  readonly cells: readonly Cell[];
  /** Cells spanning into this row from a row above (merged group labels). */
  readonly covering: readonly Cell[];
  /** Normalised text of the row's own label cells (those that are not values). */
  readonly label: string;
  /** The trailing run of value cells (numbers or blanks), left to right. */
  readonly values: readonly Cell[];
}

/** Several stages read the same table; tables are immutable, so the rows are computed once per table. */
const ROWS = new WeakMap<Table, readonly TableRow[]>();
const TEXT = new WeakMap<Table, string>();

/** Rows of a grid with spans resolved: what each row starts, what covers it, its label and its values. */
export function readRows(table: Table): readonly TableRow[] {
  const cached = ROWS.get(table);
  if (cached) return cached;
  const rows = computeRows(table);
  ROWS.set(table, rows);
  return rows;
}

function computeRows(table: Table): TableRow[] {
  const starts = new Map<number, Cell[]>();
  for (const cell of table.cells) {
    const list = starts.get(cell.row) ?? [];
    list.push(cell);
    starts.set(cell.row, list);
  }
  const rows: TableRow[] = [];
  const rowCount = Math.max(table.rows, ...table.cells.map((c) => c.row + c.rowSpan));
  for (let r = 0; r < rowCount; r++) {
    const cells = (starts.get(r) ?? []).slice().sort((a, b) => a.col - b.col);
    const covering = table.cells.filter((c) => c.row < r && c.row + c.rowSpan > r).sort((a, b) => a.col - b.col);
    let firstValue = cells.length;
    while (firstValue > 0 && isValueText(cells[firstValue - 1]?.text ?? '')) firstValue--;
    const labelCells = cells.slice(0, firstValue);
    rows.push({
      table,
      index: r,
      cells,
      covering,
      label: normalizeLabel(labelCells.map((c) => c.text).join('')),
      values: cells.slice(firstValue),
    });
  }
  return rows;
}

/** Normalised text of a whole table, for classification. */
export function tableText(table: Table): string {
  const cached = TEXT.get(table);
  if (cached !== undefined) return cached;
  const text = normalizeLabel(
    table.cells
      .slice()
      .sort((a, b) => a.row - b.row || a.col - b.col)
      .map((c) => c.text)
      .join('|'),
  );
  TEXT.set(table, text);
  return text;
}
