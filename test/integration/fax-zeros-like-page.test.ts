/**
 * 淮安市 2024's 表三, page 5, as the scan matrix's fax-standard device sends it: its Times 0s lost their
 * arcs between the coarse scan lines and print as two straight stems ≈ 6 px apart, which the page
 * reads as 0 mostly, and as 11, blank, 村 or 下 elsewhere; its 11s stand 10 px apart. The four 0s of
 * 不予处理 (三) (row 4) read 11 on main.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OCR_FLAG_THRESHOLD } from '../../core/ocr/calibrate-confidence.js';
import type { Cell } from '../../core/model/index.js';
import { readTable } from '../../core/ocr/read-table.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { realReportPage } from '../helpers/matrix-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

describe("standard-mode fax 0s read as the page's own 0s print (淮安市 2024, page 5)", () => {
  const ocr = useOcrEngine({ workers: 1 });
  let cells: readonly Cell[];

  beforeAll(async () => {
    const raster = await realReportPage('real-city-2024', 'fax-standard', 5);
    const prepared = await prepareScan(raster);
    const opts = { coarse: raster.lineDpi !== undefined, faxLines: raster.faxLines === true };
    const found = findRasterTables(prepared, 5, 1, opts);
    const t = found.tables[0]!;
    // The value columns of the table's first ten rows: enough 0s for the page's flanks.
    const picked = { ...t, cells: t.cells.filter((c) => c.row <= 9 && c.col >= 3) };
    cells = (await readTable(found.raster ?? prepared.raster, picked, 0, found.cellCrops, ocr(), opts)).cells;
  }, 400_000);

  const at = (row: number, col: number): Cell => cells.find((c) => c.row === row && c.col === col)!;

  it('reads the 0s printed as two close stems as doubtful 0s, 11 kept for the sums', () => {
    for (const col of [3, 4, 5, 6]) {
      expect(at(4, col).text).toBe('0');
      expect(at(4, col).confidence).toBeLessThan(OCR_FLAG_THRESHOLD);
      expect(at(4, col).alternatives).toContain('11');
    }
  });

  it('leaves the 11s whose stems stand a digit apart', () => {
    expect(at(0, 3).text).toBe('11');
    expect(at(0, 9).text).toBe('11');
  });
});
