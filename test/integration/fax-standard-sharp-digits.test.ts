import { describe, expect, it } from 'vitest';
import { inspectCell } from '../../core/ocr/read-cell.js';
import { readTable } from '../../core/ocr/read-table.js';
import { cellKey, findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { faxedPage } from '../helpers/faxed-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

describe('standard-mode fax numbers read from the sharper digit copy (Raster.digits)', () => {
  const engine = useOcrEngine();

  it('reads synth-21x-0 表三 total 34 that the smooth page misreads (54 in the whole table; page 2)', async () => {
    const prepared = await prepareScan(await faxedPage('synth-21x-0', 2, 98));
    expect(prepared.raster.digits).toBeDefined();
    const found = findRasterTables(prepared, 2, 1, { coarse: true, faxLines: true });
    const i = found.tables.findIndex((t) => t.cols === 10);
    const t3 = found.tables[i]!;
    // The one total cell only: a fast read, and the grid it sits in is found on the smooth page.
    const totals = { ...t3, cells: t3.cells.filter((c) => c.col === 9 && c.row === 9) };
    const read = async (raster: typeof prepared.raster): Promise<string[]> =>
      (await readTable(raster, totals, i, found.cellCrops, engine(), { coarse: true, faxLines: true })).cells.map(
        (c) => c.text,
      );
    const { digits: _, ...smooth } = prepared.raster;
    expect(await read(smooth)).not.toEqual(['34']);
    expect(await read(prepared.raster)).toEqual(['34']);
  }, 120_000);

  it("keeps the sharp copy on the page's geometry through placement, turn and deskew (synth-1-2 page 3, skewed)", async () => {
    const prepared = await prepareScan(await faxedPage('synth-1-2', 3, 98));
    const r = prepared.raster;
    expect([r.digits?.width, r.digits?.height, r.digits?.dpi]).toEqual([r.width, r.height, r.dpi]);
    const found = findRasterTables(prepared, 3, 1, { coarse: true, faxLines: true });
    // Every number's ink sits where the page's does, within a pixel: one grid serves both copies.
    const shifts = found.tables.flatMap((t, i) =>
      t.cells.flatMap((c) => {
        const crop = found.cellCrops.get(cellKey(i, c.row, c.col));
        const [a, b] = crop ? [inspectCell(r, crop, r.dpi), inspectCell(r.digits!, crop, r.dpi)] : [null, null];
        if (a?.kind !== 'digits' || !a.ink.box || !b?.ink.box) return [];
        return [Math.abs(a.ink.box.x0 - b.ink.box.x0), Math.abs(a.ink.box.y0 - b.ink.box.y0)];
      }),
    );
    expect(shifts.length).toBeGreaterThan(20);
    expect(Math.max(...shifts)).toBeLessThanOrEqual(1);
  });
});
