import { describe, expect, it } from 'vitest';
import type { Cell } from '../../core/model/index.js';
import { readCell, type CellReading } from '../../core/ocr/read-cell.js';
import { readTable } from '../../core/ocr/read-table.js';
import { cellKey, findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { devFaxPage } from '../helpers/faxed-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

/**
 * Number cells of the dev faxes in standard mode, read from the smooth page and the sharp digit copy
 * and settled (settle-copies.ts); only the named cells are read, so each case takes seconds.
 */
describe('standard-mode fax numbers settled between the page and its sharp digit copy', () => {
  const engine = useOcrEngine();

  async function read(doc: string, page: number, cols: number, at: readonly (readonly [number, number])[]) {
    const prepared = await prepareScan(await devFaxPage(doc, page));
    const opts = { coarse: true, faxLines: true };
    const found = findRasterTables(prepared, page, 1, opts);
    const i = found.tables.findIndex((t) => t.cols === cols);
    const t = found.tables[i]!;
    const cells = t.cells.filter((c) => at.some(([r, k]) => c.row === r && c.col === k));
    const settled = (await readTable(prepared.raster, { ...t, cells }, i, found.cellCrops, engine(), opts)).cells;
    const r = prepared.raster;
    const copy = (c: Cell, from: typeof r): Promise<CellReading> =>
      readCell(from, found.cellCrops.get(cellKey(i, c.row, c.col))!, r.dpi, engine());
    return at.map(([row, col]) => {
      const cell = settled.find((c) => c.row === row && c.col === col)!;
      return { cell, sharp: () => copy(cell, r.digits!), smooth: () => copy(cell, r) };
    });
  }

  it("synth-1-2 表四: keeps the page's 11 where the sharp copy reads 有, and 3 against 4 as doubt with both numbers", async () => {
    const [c2, c9] = await read('synth-1-2', 3, 15, [
      [3, 2],
      [3, 9],
    ]);
    // lit_direct_total: the sharp copy alone lost the number, and with it the whole of 表四.
    expect((await c9!.sharp()).text).not.toMatch(/^\d+$/);
    expect(c9!.cell.text).toBe('11');
    // review_other, printed 3: the copies read 3 and 4; one is taken, doubtful, the other kept for the sums.
    expect([c2!.cell.text, ...(c2!.cell.alternatives ?? [])].sort()).toEqual(['3', '4']);
    expect(c2!.cell.confidence).toBeLessThan(0.5);
  }, 120_000);

  it('synth-1-2 表三: the copy whose digits match the glyphs its ink printed (one glyph: 0, not 11)', async () => {
    // denied_three_safety_one_stability.legal_service_org, printed 0: the page read 11, surer than the sharp 0.
    const [cell] = await read('synth-1-2', 2, 10, [[8, 7]]);
    const smooth = await cell!.smooth();
    expect([smooth.text, smooth.glyphs]).toEqual(['11', 1]);
    expect(cell!.cell.text).toBe('0');
    expect(cell!.cell.alternatives).toContain('11');
  }, 120_000);

  it("synth-2019-2 表三: the page's 31 and 10 where the sharp copy lost a digit, and the page's text in a label cell", async () => {
    const [granted, processed, label] = await read('synth-2019-2', 2, 10, [
      [5, 9],
      [16, 4],
      [12, 2],
    ]);
    // Printed 31 and 10: the sharp copy lost a digit (3, 0) at least as surely as the page read both.
    expect((await granted!.sharp()).text).toBe('3');
    expect(granted!.cell.text).toBe('31');
    expect((await processed!.sharp()).text).toBe('0');
    expect(processed!.cell.text).toBe('10');
    // A label whose ink looked like one row of digits: the sharp copy made 48 of it; the page's text stays.
    expect((await label!.sharp()).text).toMatch(/^\d+$/);
    expect(label!.cell.text).not.toMatch(/\d/);
  }, 120_000);

  it('synth-21x-1 表三: a total whose two 4s ran together into one CJK-wide glyph is read as the number 44', async () => {
    // unable_needs_creation.total, printed 44: the page saw a label there and read 网.
    const [total] = await read('synth-21x-1', 2, 10, [[16, 9]]);
    expect(total!.cell.text).toBe('44');
  }, 120_000);
});
