import { describe, expect, it } from 'vitest';
import { deskewRaster } from '../../../core/raster/deskew-raster.js';
import { cellKey, findRasterTables } from '../../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../../core/raster/prepare-scan.js';
import { addNoise, blankPage, breakLines, drawGrid, drawTextRow, fillRect, type GridSpec } from './synthetic-page.js';

const DPI = 200;
// 5 rows × 4 columns; the header cell spans columns 1–3 (no rules right of col 1 and col 2 in row 0),
// and column 0 spans rows 2–3 (no rule under row 2 in column 0).
const SPEC: GridSpec = {
  x: 150,
  y: 300,
  colWidths: [400, 200, 200, 200],
  rowHeights: [70, 60, 60, 60, 60],
  thickness: 3,
  missing: new Set(['v:0:1', 'v:0:2', 'h:2:0']),
};

function tablePage(): ReturnType<typeof blankPage> {
  const page = blankPage(8.27, 11.69, DPI);
  drawTextRow(page, 150, 120, 20, 40);
  drawTextRow(page, 150, 180, 18, 40);
  drawGrid(page, SPEC);
  drawTextRow(page, 175, 320, 4, 28);
  drawTextRow(page, 175, 620, 3, 28);
  return page;
}

describe('findRasterTables', () => {
  it('rebuilds rows, columns and spans of a clean ruled table', async () => {
    const prepared = await prepareScan(tablePage());
    const { tables, cellCrops } = findRasterTables(prepared, 3);
    expect(tables).toHaveLength(1);
    const t = tables[0]!;
    expect(t.id).toBe('p3-t1');
    expect(t.detection).toBe('raster');
    expect([t.rows, t.cols]).toEqual([5, 4]);
    const header = t.cells.find((c) => c.row === 0 && c.col === 1)!;
    expect(header.colSpan).toBe(3);
    const tall = t.cells.find((c) => c.row === 2 && c.col === 0)!;
    expect(tall.rowSpan).toBe(2);
    expect(t.cells).toHaveLength(20 - 2 - 1);
    expect(t.cells.every((c) => c.text === '' && c.origin === 'ocr')).toBe(true);
    // boxes are in points: the left rule at 150 px → 54 pt
    expect(t.box.x0).toBeCloseTo((150 * 72) / DPI, 0);
    expect(cellCrops.size).toBe(t.cells.length);
  });

  it('puts every cell crop strictly inside the ruling lines', async () => {
    const prepared = await prepareScan(tablePage(), { deskew: false });
    const { tables, cellCrops } = findRasterTables(prepared, 1);
    const { binary } = prepared;
    for (const cell of tables[0]!.cells) {
      const crop = cellCrops.get(cellKey(0, cell.row, cell.col))!;
      expect(crop.x1 - crop.x0).toBeGreaterThan(20);
      // no pixel row or column of the crop's border may be mostly ink (that would be a rule)
      for (const y of [crop.y0, crop.y1 - 1]) {
        let ink = 0;
        for (let x = crop.x0; x < crop.x1; x++) ink += binary.data[y * binary.width + x]!;
        expect(ink / (crop.x1 - crop.x0)).toBeLessThan(0.1);
      }
      for (const x of [crop.x0, crop.x1 - 1]) {
        let ink = 0;
        for (let y = crop.y0; y < crop.y1; y++) ink += binary.data[y * binary.width + x]!;
        expect(ink / (crop.y1 - crop.y0)).toBeLessThan(0.1);
      }
      // and the crop keeps most of the cell: inset at most ≈ thickness + clearance on each side
      const px = (pt: number): number => (pt * DPI) / 72;
      expect(crop.x0 - px(cell.box.x0)).toBeLessThan(8);
      expect(px(cell.box.x1) - crop.x1).toBeLessThan(8);
    }
  });

  it('survives skew, noise, faint and broken lines', async () => {
    const page = blankPage(8.27, 11.69, DPI);
    drawTextRow(page, 150, 120, 20, 40);
    drawGrid(page, { ...SPEC, ink: 170 });
    drawTextRow(page, 175, 320, 4, 28);
    breakLines(page, 90, 4);
    addNoise(page, 0.002, 12);
    const skewed = deskewRaster(page, -1.2); // content turned 1.2° clockwise
    const prepared = await prepareScan(skewed);
    expect(prepared.skewDeg).toBeCloseTo(1.2, 1);
    const { tables } = findRasterTables(prepared, 1);
    expect(tables).toHaveLength(1);
    expect([tables[0]!.rows, tables[0]!.cols]).toEqual([5, 4]);
    expect(tables[0]!.cells).toHaveLength(17);
  });

  it('flags a narrow cell with one glyph per line as vertical text, and a digit 1 as not', async () => {
    const page = blankPage(8.27, 11.69, DPI);
    for (let r = 0; r < 4; r++) drawTextRow(page, 150, 80 + r * 50, 25, 30); // prose above keeps the page upright
    drawGrid(page, { x: 150, y: 300, colWidths: [60, 300], rowHeights: [250, 60], thickness: 3 });
    for (let k = 0; k < 5; k++) drawTextRow(page, 165, 315 + k * 45, 1, 30);
    fillRect(page, 300, 320, 304, 520, 20); // a tall thin stroke (digit 1 / bar) in the wide cell
    // a scorer without an opinion keeps the page as it is (synthetic glyphs carry no upright cue)
    const { tables } = findRasterTables(await prepareScan(page, { deskew: false, scoreUpright: async () => 0 }), 1);
    const flags = tables[0]!.cells.map((c) => [c.row, c.col, c.vertical]);
    expect(flags).toEqual([
      [0, 0, true],
      [0, 1, false],
      [1, 0, false],
      [1, 1, false],
    ]);
  });

  it('finds nothing on a page of text only', async () => {
    const page = blankPage(8.27, 11.69, DPI);
    for (let r = 0; r < 20; r++) drawTextRow(page, 150, 150 + r * 70, 30, 40);
    const { tables } = findRasterTables(await prepareScan(page), 1);
    expect(tables).toEqual([]);
  });
});
