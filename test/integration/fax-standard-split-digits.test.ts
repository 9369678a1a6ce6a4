/**
 * Page 2 of the scan matrix's AR PL UMing report 0 as its `fax-standard` device sends it (the seed
 * the matrix uses), 表三's total column: three printed 0s kept only their flanks and read 11, and
 * 4779's 779 ran together into one glyph (read 4774 by the page). Only the value cells of nine rows
 * are read, enough for the page's digit pitch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../core/model/index.js';
import { readTable } from '../../core/ocr/read-table.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { matrixPage } from '../helpers/matrix-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

describe("standard-mode fax totals: a 0's flanks and touching digits (UMing, fax-standard)", () => {
  const ocr = useOcrEngine({ workers: 1 });
  let cells: Cell[];

  beforeAll(async () => {
    // The page as printed before the held-out layouts left the matrix (familyReport's withHeldOut).
    const { raster } = await matrixPage('uming', 'fax-standard', 2, true);
    const prepared = await prepareScan(raster);
    const opts = { coarse: raster.lineDpi !== undefined, faxLines: raster.faxLines === true };
    const found = findRasterTables(prepared, 2, 1, opts);
    const t = found.tables[0]!;
    const totals = {
      ...t,
      cells: t.cells.filter((c) => c.col >= 3 && [4, 5, 6, 7, 14, 17, 18, 24, 25].includes(c.row)),
    };
    cells = [...(await readTable(prepared.raster, totals, 0, found.cellCrops, ocr(), opts)).cells];
  }, 400_000);

  const at = (row: number): Cell => cells.find((c) => c.row === row && c.col === 9)!;

  it('reads the two flanks of a 0 as a doubtful 0, 11 kept for the sums', () => {
    for (const row of [6, 7, 24]) {
      expect(at(row).text).toBe('0');
      expect(at(row).alternatives).toContain('11');
    }
  });

  it('pulls 4779 apart: four digits, the split reading among its readings', () => {
    const total = at(25);
    expect([total.text, ...(total.alternatives ?? [])]).toContain('4779');
    expect(total.glyphs).toBe(4);
  });
});
