/**
 * Rows a fax cut with a stray stroke (core/raster/drop-dash-rows.ts): a scan line struck through a
 * row's digits, or a dash beside a rule, was taken for a row rule; the sliver it made counted as a row
 * and the rows under it shifted, or held half a row while the two rows under it shared one band.
 * 洪泽区 2024 as the scan matrix's fine-mode fax sends it (same seed).
 */
import { describe, expect, it } from 'vitest';
import type { Table } from '../../core/model/index.js';
import { faxedRealTables } from '../helpers/faxed-page.js';

/** Row heights (points) of a table's lattice: the cells one row tall give each row's top and bottom. */
function rowHeights(t: Table): number[] {
  const out: number[] = [];
  for (let r = 0; r < t.rows; r++) {
    const cell = t.cells.find((c) => c.row === r && c.rowSpan === 1);
    if (cell) out.push(cell.box.y1 - cell.box.y0);
  }
  return out;
}
const t3 = (tables: readonly Table[]): Table => tables.find((t) => t.cols === 10)!;

describe('strokes a fax left across a row are not row rules (洪泽区 2024, fine mode)', () => {
  it('keeps page 3 表三 at its 16 printed rows: no sliver under 4.保护第三方合法权益 (17 before)', async () => {
    const table = t3(await faxedRealTables('real-hongze-2024', 'fax-fine', 3));
    expect(table.rows).toBe(16);
    expect(Math.min(...rowHeights(table))).toBeGreaterThan(10.8);
  }, 180_000);

  it('gives page 4 （六）其他处理 and （七）总计 a row each (a 9-pt sliver, then both in one band before)', async () => {
    const table = t3(await faxedRealTables('real-hongze-2024', 'fax-fine', 4));
    expect(table.rows).toBe(10);
    expect(Math.min(...rowHeights(table))).toBeGreaterThan(10.8);
  }, 180_000);
});

describe('row rules a fax kept in dashes beside tight rows (洪泽区 2023, fine mode)', () => {
  it('splits page 4 表三 value cells at a rule left as dashes close to the digits (0 over 0 read as one cell before)', async () => {
    const table = t3(await faxedRealTables('real-hongze-2023', 'fax-fine', 4));
    // Value columns (the last seven): each cell one row tall; before, 3.要求提供政府公开出版物 and 4.无正当理由大量反复申请
    // shared three cells (`0 0`) and 1.信访举报投诉类申请's total took the one under it.
    const merged = table.cells.filter((c) => c.col >= table.cols - 7 && c.rowSpan > 1 && c.row > 0);
    expect(merged).toEqual([]);
  }, 180_000);
});
