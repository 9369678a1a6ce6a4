import { describe, expect, it } from 'vitest';
import { estimatePerspective } from '../../../core/raster/correct-perspective.js';
import { applyHomography, homographyFromPoints } from '../../../core/raster/homography.js';
import { warpRaster } from '../../../core/raster/warp-image.js';
import { findRasterTables } from '../../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../../core/raster/prepare-scan.js';
import type { Raster } from '../../../core/raster/raster.js';
import { blankPage, drawGrid, drawTextRow } from './synthetic-page.js';

const DPI = 150;

/** A form page: prose above, a 6 × 4 ruled table filled with text, upright and flat. */
function formPage(): Raster {
  const page = blankPage(8.27, 11.69, DPI);
  for (let r = 0; r < 4; r++) drawTextRow(page, 120, 100 + r * 45, 26, 26);
  drawGrid(page, {
    x: 120,
    y: 320,
    colWidths: [300, 240, 240, 200],
    rowHeights: [90, 90, 90, 90, 90, 90],
    thickness: 2,
  });
  for (let r = 0; r < 6; r++) for (const x of [140, 440, 680, 920]) drawTextRow(page, x, 350 + r * 90, 4, 26);
  return page;
}

/** The page as a phone held below it sees it: the top edge shrunk by `inset` px on each side (keystone). */
function keystone(page: Raster, inset: number): Raster {
  const { width: w, height: h } = page;
  const flat: [number, number][] = [
    [0, 0],
    [w - 1, 0],
    [w - 1, h - 1],
    [0, h - 1],
  ];
  const seen: [number, number][] = [
    [inset, 0],
    [w - 1 - inset, 0],
    [w - 1, h - 1],
    [0, h - 1],
  ];
  return warpRaster(page, homographyFromPoints(seen, flat)!);
}

describe('homographyFromPoints', () => {
  it('maps each of the four points onto its partner', () => {
    const from: [number, number][] = [
      [10, 20],
      [500, 40],
      [520, 700],
      [0, 650],
    ];
    const to: [number, number][] = [
      [0, 0],
      [600, 0],
      [600, 800],
      [0, 800],
    ];
    const m = homographyFromPoints(from, to)!;
    from.forEach((p, i) => {
      const [x, y] = applyHomography(m, p[0], p[1]);
      expect(x).toBeCloseTo(to[i]![0], 6);
      expect(y).toBeCloseTo(to[i]![1], 6);
    });
  });

  it('refuses three collinear points', () => {
    const line: [number, number][] = [
      [0, 0],
      [1, 1],
      [2, 2],
      [0, 5],
    ];
    expect(homographyFromPoints(line, line)).toBeNull();
  });
});

describe('perspective correction of a keystoned form', () => {
  it('leaves a flat scan alone', async () => {
    const prepared = await prepareScan(formPage());
    expect(estimatePerspective(prepared.binary)).toBeNull();
    const found = findRasterTables(prepared, 1);
    expect(found.raster).toBeUndefined();
    expect([found.tables[0]!.rows, found.tables[0]!.cols]).toEqual([6, 4]);
  });

  it('finds the converging rules, rectifies the page and rebuilds the whole grid', async () => {
    // 130 px on each side of the top edge: the outer verticals lean ≈ 4.2° towards each other
    const prepared = await prepareScan(keystone(formPage(), 130));
    const fix = estimatePerspective(prepared.binary);
    expect(fix).not.toBeNull();
    expect(fix!.lines.filter((l) => l.axis === 'v').length).toBeGreaterThanOrEqual(3);
    const found = findRasterTables(prepared, 1);
    expect(found.raster).toBeDefined();
    expect(found.tables).toHaveLength(1);
    const t = found.tables[0]!;
    expect([t.rows, t.cols]).toEqual([6, 4]);
    expect(t.cells).toHaveLength(24);
  });
});
