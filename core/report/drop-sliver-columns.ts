import type { Cell, Table } from '../model/index.js';

/**
 * A grid column narrower than this (points) with nothing written in it is a sliver between a rule and
 * a fax's sensor streak running beside it (洪泽区 2023 faxed: 7 pt beside 表三's 自然人 column, 2 pt
 * in 表四), not a printed column: the narrowest printed value columns are about 20 pt.
 */
const SLIVER_PT = 12;

/** The cell a sliver-free copy was made from (its row and column are the stored table's: provenance, crops). */
const ORIGINAL = new WeakMap<Cell, Cell>();

/**
 * A scanned table without its sliver columns: cells right of one move left, cells spanning one lose it.
 * Mapping by column order (the trailing seven of 表三, fifteen of 表四) would otherwise put a value one
 * column off, or take the sliver's blank for a value. Tables read from a text layer are left alone.
 */
export function dropSliverColumns(table: Table): Table {
  if (table.detection !== 'raster') return table;
  const width = new Map<number, number>();
  const blank = new Map<number, boolean>();
  for (const c of table.cells) {
    if (c.colSpan !== 1) continue;
    width.set(c.col, c.box.x1 - c.box.x0);
    blank.set(c.col, (blank.get(c.col) ?? true) && c.text.trim() === '');
  }
  const slivers = [...width].filter(([col, w]) => w < SLIVER_PT && blank.get(col) === true).map(([col]) => col);
  if (slivers.length === 0) return table;
  const before = (col: number): number => slivers.filter((s) => s < col).length;
  const cells = table.cells
    .filter((c) => !(c.colSpan === 1 && slivers.includes(c.col)))
    .map((c) => {
      const inside = slivers.filter((s) => s >= c.col && s < c.col + c.colSpan).length;
      const moved = { ...c, col: c.col - before(c.col), colSpan: c.colSpan - inside };
      ORIGINAL.set(moved, c);
      return moved;
    });
  return { ...table, cols: table.cols - slivers.length, cells };
}

/** The stored table's cell behind a cell of a sliver-free copy (itself otherwise). */
export function originalCell(cell: Cell): Cell {
  return ORIGINAL.get(cell) ?? cell;
}
