/**
 * 淮安市 2024's Times digits on a fine-mode fax: thinned to hairlines that break into specks, which the
 * ink finder drops as noise. 表三's 1288 read as 12 and 1362 as 1.302 (page 4, the scan matrix's
 * fax-fine seed); read again from the ink box's own pixels in two framings, both are whole again.
 * Beside them the other fax-only checks of read-table: a ring read as a sure 4, a sure 6 a ring must
 * not overrule, 表二's 1s the 4/7 stems leave alone.
 */
import { describe, expect, it } from 'vitest';
import { OCR_FLAG_THRESHOLD } from '../../core/ocr/calibrate-confidence.js';
import { readTable } from '../../core/ocr/read-table.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { devFaxPage } from '../helpers/faxed-page.js';
import { realReportPage } from '../helpers/matrix-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';
import type { OcrEngine } from '../../core/index.js';
import type { Cell, Table } from '../../core/model/index.js';
import type { Raster } from '../../core/raster/raster.js';

/** The table with the most cells: 表三 on its pages, 表二 on page 1. */
const largest = (tables: readonly Table[]): number =>
  tables.reduce((best, t, k) => (t.cells.length > tables[best]!.cells.length ? k : best), 0);

/** The cells `keep` picks of the page's table `pick` chooses, read as readTable reads a fax page's table. */
async function readFaxCells(
  raster: Raster,
  page: number,
  engine: OcrEngine,
  keep: (c: Cell, t: Table) => boolean,
  pick: (tables: readonly Table[]) => number = largest,
): Promise<readonly Cell[]> {
  const prepared = await prepareScan(raster);
  const found = findRasterTables(prepared, page, 1, { faxLines: true });
  const i = pick(found.tables);
  const t = found.tables[i]!;
  const picked = { ...t, cells: t.cells.filter((c) => keep(c, t)) };
  const read = await readTable(found.raster ?? prepared.raster, picked, i, found.cellCrops, engine, {
    faxLines: true,
  });
  return read.cells;
}

describe('fax digits read from their ink box (淮安市 2024, fine mode, 表三)', () => {
  const engine = useOcrEngine({ workers: 1 });

  it('reads 已予公开 1288 and 1362, still below the flag threshold', async () => {
    const raster = await realReportPage('real-city-2024', 'fax-fine', 4);
    expect(raster.faxLines).toBe(true);
    // Row 5 of the grid: （一）予以公开, the row of 1288 … 1362 (two header rows, 新收, 上年结转, 三、's first rows).
    const cells = await readFaxCells(raster, 4, engine(), (c, t) => c.row === 5 && c.col >= t.cols - 7);
    // 自然人 and 总计 (the cells between need the rest of the table: their 50 is read by its digit shapes).
    expect([cells[0]!.text, cells[6]!.text]).toEqual(['1288', '1362']);
    expect(Math.max(cells[0]!.confidence, cells[6]!.confidence)).toBeLessThan(OCR_FLAG_THRESHOLD);
  }, 180_000);

  it("reads 洪泽区 2024's 0 that the recogniser read as 4 at 0.97 as a doubtful 0, by its ring", async () => {
    // 新收's 商业企业 (row 3), between 自然人's 95 and 科研机构's 0, read surely and left as read.
    const raster = await realReportPage('real-hongze-2024', 'fax-fine', 3);
    const cells = await readFaxCells(raster, 3, engine(), (c) => c.row === 3 && c.col >= 3 && c.col <= 5);
    expect(cells.map((c) => c.text)).toEqual(['95', '0', '0']);
    expect(cells.map((c) => c.confidence >= OCR_FLAG_THRESHOLD)).toEqual([true, false, true]);
  }, 180_000);

  it('keeps a sure 6 a 6 though a fax rounded its counter into a ring (dev synth-1-4, 表四)', async () => {
    // 直接起诉 纠正 and 复议后起诉 总计, read 0 when a ring overruled any sure digit.
    const raster = await devFaxPage('synth-1-4', 3);
    const keep = (c: Cell): boolean => c.row === 3 && (c.col === 6 || c.col === 14);
    const cells = await readFaxCells(raster, 3, engine(), keep, (ts) => ts.findIndex((t) => t.cols >= 15));
    expect(cells.map((c) => c.text)).toEqual(['6', '6']);
  }, 180_000);

  it('keeps the sure 1s of 表二 sure: its dozen numbers lack a 4 or 7 by chance (dev synth-1-1)', async () => {
    const cells = await readFaxCells(await devFaxPage('synth-1-1', 1), 1, engine(), () => true);
    const at = (row: number, col: number): Cell => cells.find((c) => c.row === row && c.col === col)!;
    expect([at(7, 1).text, at(4, 3).text]).toEqual(['188', '16']);
    expect(Math.min(at(7, 1).confidence, at(4, 3).confidence)).toBeGreaterThanOrEqual(OCR_FLAG_THRESHOLD);
  }, 180_000);
});
