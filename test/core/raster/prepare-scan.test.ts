import { describe, expect, it } from 'vitest';
import { binarizeSauvola } from '../../../core/raster/binarize-sauvola.js';
import { deskewRaster } from '../../../core/raster/deskew-raster.js';
import { prepareScan } from '../../../core/raster/prepare-scan.js';
import { rotateRightAngle, type Raster } from '../../../core/raster/raster.js';
import { addNoise, blankPage, drawGrid, drawTextRow, fillRect } from './synthetic-page.js';

const DPI = 150;

/** A page of text lines with a ragged right edge and a table, upright. */
function textPage(): Raster {
  const page = blankPage(8.27, 11.69, DPI);
  for (let r = 0; r < 14; r++) drawTextRow(page, 120, 120 + r * 45, 24 - (r % 4) * 3, 28);
  drawGrid(page, { x: 120, y: 800, colWidths: [300, 150, 150], rowHeights: [40, 40, 40, 40], thickness: 2 });
  for (let r = 0; r < 4; r++) drawTextRow(page, 130, 808 + r * 40, 5, 22);
  return page;
}

describe('prepareScan', () => {
  it('keeps an upright page upright and finds its skew', async () => {
    const skewed = deskewRaster(textPage(), 0.7); // content turned 0.7° anticlockwise
    const p = await prepareScan(skewed);
    expect(p.rotation).toBe(0);
    expect(p.skewDeg).toBeCloseTo(-0.7, 1);
    expect(p.raster.width).toBe(skewed.width);
    expect(p.binary.data.length).toBe(p.raster.data.length);
  });

  it('straightens a phone-photo tilt of 10°', async () => {
    const p = await prepareScan(deskewRaster(textPage(), -10));
    expect(p.rotation).toBe(0);
    expect(p.skewDeg).toBeCloseTo(10, 1);
  });

  it('turns a page scanned sideways (content 90° anticlockwise) back upright', async () => {
    const sideways = rotateRightAngle(textPage(), 270);
    const p = await prepareScan(sideways);
    expect(p.orientation.evidence.score).toBeLessThan(0);
    expect(p.orientation.uncertain).toBe(false);
    expect(p.rotation).toBe(90);
    expect([p.raster.width, p.raster.height]).toEqual([sideways.height, sideways.width]);
  });

  it('lets the upright scorer decide 0 against 180', async () => {
    const upsideDown = rotateRightAngle(textPage(), 180);
    // A stand-in for OCR confidence: upright text starts at the left margin.
    const leftInk = async (r: Raster): Promise<number> => {
      let ink = 0;
      for (let y = 0; y < r.height; y++) for (let x = 110; x < 140; x++) ink += r.data[y * r.width + x]! < 128 ? 1 : 0;
      return ink;
    };
    const p = await prepareScan(upsideDown, { scoreUpright: leftInk });
    expect(p.rotation).toBe(180);
    const q = await prepareScan(textPage(), { scoreUpright: leftInk });
    expect(q.rotation).toBe(0);
  });

  it('hands the upright scorer deskewed candidates, so its text lines are level', async () => {
    // Densest pixel row: a level rule or text line puts its whole length in one row; at 1.5° a
    // 600-px rule spreads over ≈ 16 rows and the scorer's strip of one text line would cut glyphs.
    const densestRow = (r: Raster): number => {
      let best = 0;
      for (let y = 0; y < r.height; y++) {
        let ink = 0;
        for (let x = 0; x < r.width; x++) ink += r.data[y * r.width + x]! < 128 ? 1 : 0;
        best = Math.max(best, ink);
      }
      return best;
    };
    const level = densestRow(textPage());
    const seen: number[] = [];
    const p = await prepareScan(deskewRaster(textPage(), 1.5), {
      scoreUpright: async (c) => (seen.push(densestRow(c)), 0),
    });
    expect(p.skewDeg).toBeCloseTo(-1.5, 1);
    expect(seen).toHaveLength(2);
    for (const d of seen) expect(d).toBeGreaterThan(0.8 * level);
  });

  it('without a scorer, leaves an upside-down page at 0 (that takes OCR evidence)', async () => {
    expect((await prepareScan(rotateRightAngle(textPage(), 180))).rotation).toBe(0);
  });

  it('normalises a dark, noisy fax so paper binarises clean and faint rules survive', async () => {
    const page = blankPage(8.27, 11.69, DPI, 175);
    fillRect(page, 100, 500, 1100, 502, 120); // faint rule: 55 levels under a grey paper
    drawTextRow(page, 100, 300, 20, 28, 40);
    addNoise(page, 0, 10);
    const p = await prepareScan(page, { deskew: false });
    let paperInk = 0;
    for (let y = 700; y < 1000; y++) for (let x = 100; x < 1100; x++) paperInk += p.binary.data[y * page.width + x]!;
    expect(paperInk / (300 * 1000)).toBeLessThan(0.002);
    let ruleInk = 0;
    for (let x = 150; x < 1050; x++) ruleInk += p.binary.data[501 * page.width + x]!;
    expect(ruleInk / 900).toBeGreaterThan(0.95);
  });
});

describe('binarizeSauvola', () => {
  it('fades a red stamp taken through the red channel but keeps black print', () => {
    const page = blankPage(2, 2, DPI);
    fillRect(page, 20, 50, 280, 53, 25); // black rule
    fillRect(page, 40, 100, 200, 200, 215); // red stamp ink as seen in the red channel
    const bin = binarizeSauvola(page);
    let rule = 0;
    for (let x = 30; x < 270; x++) rule += bin.data[51 * page.width + x]!;
    let stamp = 0;
    for (let y = 110; y < 190; y++) for (let x = 50; x < 190; x++) stamp += bin.data[y * page.width + x]!;
    expect(rule).toBe(240);
    expect(stamp).toBe(0);
  });
});
