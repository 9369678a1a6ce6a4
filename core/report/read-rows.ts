import type { Cell, Table } from '../model/index.js';
import { normalizeLabel } from './normalize-label.js';
import { isValueText, parseNumber } from './parse-number.js';

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
  /** The trailing run of value cells (numbers or blanks), left to right; none in a header row. */
  readonly values: readonly Cell[];
  /**
   * The grid says this is a header line, whatever its labels read: its one "number" sits in a cell
   * spanning down into a header band (rows of column captions and no numbers). 表三's 总计 caption,
   * two rows tall, read as `4` on a 150-dpi scan made its header line a value row.
   */
  readonly header: boolean;
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
    const header = spansIntoHeaderBand(cells, starts);
    rows.push({
      table,
      index: r,
      cells,
      covering,
      label: normalizeLabel(labelCells.map((c) => c.text).join('')),
      values: header ? [] : cells.slice(firstValue),
      header,
    });
  }
  return rows;
}

/** Column captions a row below must hold to count as a header band (a blank-style data row holds one label). */
const BAND_CAPTIONS = 2;

/**
 * A row's only number sits in a cell more than one row tall, and every row it spans into starts
 * captions (text that is no number, at least BAND_CAPTIONS of them) and no number: a value cell is
 * one row tall, so that cell is a two-row caption misread as a digit.
 */
function spansIntoHeaderBand(cells: readonly Cell[], starts: ReadonlyMap<number, readonly Cell[]>): boolean {
  const numbers = cells.filter((c) => isNumberText(c.text));
  const only = numbers.length === 1 ? numbers[0]! : undefined;
  if (!only || only.rowSpan < 2) return false;
  for (let r = only.row + 1; r < only.row + only.rowSpan; r++) {
    const band = starts.get(r) ?? [];
    if (band.some((c) => isNumberText(c.text))) return false;
    if (band.filter((c) => c.text.trim() !== '').length < BAND_CAPTIONS) return false;
  }
  return true;
}

const isNumberText = (text: string): boolean => parseNumber(text).ok;

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
