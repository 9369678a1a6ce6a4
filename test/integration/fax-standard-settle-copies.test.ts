import { describe, expect, it } from 'vitest';
import { readCell } from '../../core/ocr/read-cell.js';
import { readTable } from '../../core/ocr/read-table.js';
import { cellKey, findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { devFaxPage } from '../helpers/faxed-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

/**
 * synth-1-2's dev fax (standard mode), page 3: 表四's value row, read from the smooth page and the
 * sharp digit copy and settled (settle-copies.ts).
 */
describe('standard-mode fax numbers settled between the page and its sharp digit copy', () => {
  const engine = useOcrEngine();

  async function valueRow() {
    const prepared = await prepareScan(await devFaxPage('synth-1-2', 3));
    const opts = { coarse: true, faxLines: true };
    const found = findRasterTables(prepared, 3, 1, opts);
    const i = found.tables.findIndex((t) => t.cols === 15);
    const t4 = found.tables[i]!;
    const row = { ...t4, cells: t4.cells.filter((c) => c.row === 3 && (c.col === 2 || c.col === 9)) };
    const read = await readTable(prepared.raster, row, i, found.cellCrops, engine(), opts);
    const sharpOnly = async (col: number) =>
      readCell(prepared.raster.digits!, found.cellCrops.get(cellKey(i, 3, col))!, prepared.raster.dpi, engine());
    return { cells: read.cells, sharpOnly };
  }

  it("keeps the page's 11 where the sharp copy reads no number (有), and a disagreement as doubt with both numbers", async () => {
    const { cells, sharpOnly } = await valueRow();
    const [c2, c9] = [cells.find((c) => c.col === 2)!, cells.find((c) => c.col === 9)!];
    // lit_direct_total: the sharp copy alone lost the number, and with it the whole of 表四.
    expect((await sharpOnly(9)).text).not.toMatch(/^\d+$/);
    expect(c9.text).toBe('11');
    // review_other, printed 3: the copies read 3 and 4; one is taken, doubtful, the other kept for the sums.
    const sharp2 = (await sharpOnly(2)).text;
    expect([c2.text, ...(c2.alternatives ?? [])].sort()).toEqual(['3', '4']);
    expect(sharp2).toMatch(/^[34]$/);
    expect(c2.confidence).toBeLessThan(0.5);
  }, 120_000);
});
