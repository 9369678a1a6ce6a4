import { describe, expect, it } from 'vitest';
import { binarizeSauvola } from '../../../core/raster/binarize-sauvola.js';
import { measureOrientation } from '../../../core/raster/measure-orientation.js';
import { LOW_ORIENTATION_MARGIN, prepareScan } from '../../../core/raster/prepare-scan.js';
import { rotateRightAngle, type Raster } from '../../../core/raster/raster.js';
import { blankPage, drawGrid, drawTextRow, fillRect } from './synthetic-page.js';

const DPI = 100;

/**
 * A timetable like rapidai_tsr/wired__table1.png: a dense ruled grid (more long vertical rules than
 * horizontal ones) whose cells hold two short stacked lines (a subject over a name), set close.
 */
function timetable(): Raster {
  const page = blankPage(7, 4.5, DPI);
  const cols = Array.from({ length: 8 }, () => 80);
  const rows = Array.from({ length: 8 }, () => 42);
  drawGrid(page, { x: 30, y: 60, colWidths: cols, rowHeights: rows, thickness: 1 });
  drawTextRow(page, 200, 20, 14, 14); // title
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      drawTextRow(page, 30 + c * 80 + 24, 60 + r * 42 + 5, 2, 14);
      drawTextRow(page, 30 + c * 80 + 30, 60 + r * 42 + 23, 2, 14);
    }
  }
  return page;
}

/** Square blobs on an even lattice: no direction to read, either way. */
function lattice(): Raster {
  const page = blankPage(5, 5, DPI);
  for (let y = 40; y < 460; y += 30) for (let x = 40; x < 460; x += 30) fillRect(page, x, y, x + 14, y + 14, 30);
  return page;
}

describe('measureOrientation', () => {
  it('reads a dense timetable with stacked two-line cells as upright, and turned as sideways', () => {
    const upright = measureOrientation(binarizeSauvola(timetable()));
    expect(upright.score).toBeGreaterThan(LOW_ORIENTATION_MARGIN);
    expect(upright.neighbours).toBeGreaterThan(0);
    const sideways = measureOrientation(binarizeSauvola(rotateRightAngle(timetable(), 90)));
    expect(sideways.score).toBeLessThan(-LOW_ORIENTATION_MARGIN);
  });

  it('reads tall digit-like glyphs as upright by their shape', () => {
    const page = blankPage(4, 4, DPI);
    // isolated tall strokes (digits), as far apart across as along: only their shape tells
    for (let y = 40; y < 360; y += 40) for (let x = 40; x < 360; x += 40) fillRect(page, x, y, x + 9, y + 16, 30);
    const up = measureOrientation(binarizeSauvola(page));
    expect(up.aspect).toBeGreaterThan(1);
    expect(measureOrientation(binarizeSauvola(rotateRightAngle(page, 90))).aspect).toBeLessThan(-1);
  });

  it('records a page with no direction to read as an uncertain decision', async () => {
    const p = await prepareScan(lattice(), { scoreUpright: async () => 0 });
    expect(Math.abs(p.orientation.evidence.score)).toBeLessThan(LOW_ORIENTATION_MARGIN);
    expect(p.orientation.uncertain).toBe(true);
    expect(p.orientation.upright).toEqual([0, 0]);
  });

  it('records a clear page as certain, its upright margin kept', async () => {
    const p = await prepareScan(timetable(), {
      scoreUpright: async (c) => (c.data[60 * c.width + 30]! < 128 ? 0.7 : 0.1),
    });
    expect(p.rotation).toBe(0);
    expect(p.orientation.uncertain).toBe(false);
    expect(p.orientation.upright).toEqual([0.7, 0.1]);
  });

  it('does not read the turned candidate when the first reads too well to be beaten', async () => {
    let reads = 0;
    const p = await prepareScan(timetable(), {
      scoreUpright: async (c) => (reads++, c.data[60 * c.width + 30]! < 128 ? 0.9 : 0.1),
    });
    expect(reads).toBe(1);
    expect(p.rotation).toBe(0);
    expect(p.orientation.uncertain).toBe(false);
    expect(p.orientation.upright).toEqual([0.9, null]);
  });
});
