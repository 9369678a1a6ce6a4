import { describe, expect, it } from 'vitest';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';
import type { OcrEngine, OcrWord } from '../../../core/ocr/ocr-engine.js';
import type { PageReading } from '../../../core/ocr/ocr-engine.js';
import { MIN_PROSE_HAN_WORDS, proseUprightScore, scoreUpright } from '../../../core/ocr/score-upright.js';
import { blankPage, drawGrid, drawTextRow, fillRect } from '../raster/synthetic-page.js';

const DPI = 200;
/** An ink run this long (px, 0.25 in) is a rule, not a glyph stroke. */
const RULE_PX = 50;

/** A stand-in engine that keeps the strips it is asked to read and reads nothing. */
function recordingEngine(): { engine: OcrEngine; strips: GrayRaster[] } {
  const strips: GrayRaster[] = [];
  const engine = {
    workers: 1,
    traineddata: 'fake',
    readWords: async (image: GrayRaster): Promise<readonly OcrWord[]> => {
      strips.push(image);
      return [];
    },
  } as unknown as OcrEngine;
  return { engine, strips };
}

function longestRun(s: GrayRaster, axis: 'row' | 'col'): number {
  const [n, m] = axis === 'row' ? [s.height, s.width] : [s.width, s.height];
  let best = 0;
  for (let a = 0; a < n; a++) {
    let run = 0;
    for (let b = 0; b < m; b++) {
      const ink = s.data[axis === 'row' ? a * s.width + b : b * s.width + a]! < 128;
      run = ink ? run + 1 : 0;
      best = Math.max(best, run);
    }
  }
  return best;
}

function rowInk(s: GrayRaster, y: number): number {
  let ink = 0;
  for (let x = 0; x < s.width; x++) ink += s.data[y * s.width + x]! < 128 ? 1 : 0;
  return ink;
}

describe('scoreUpright', () => {
  it('reads the heading above a table as one whole line, without the table rule beside it', async () => {
    const page = blankPage(8.27, 11.69, DPI);
    drawTextRow(page, 150, 300, 20, 30); // heading: the densest text line, 300–330
    drawGrid(page, { x: 150, y: 345, colWidths: [500, 200, 200, 200], rowHeights: [60, 60], thickness: 4 }); // top rule 15 px under it
    drawTextRow(page, 170, 360, 5, 26);
    const { engine, strips } = recordingEngine();
    await scoreUpright(engine)(page);
    const strip = strips[0]!;
    expect(longestRun(strip, 'row')).toBeLessThan(RULE_PX);
    // the whole heading, with paper above and below it: no glyph cut in half
    expect(rowInk(strip, 0)).toBe(0);
    expect(rowInk(strip, strip.height - 1)).toBe(0);
    let glyphRows = 0;
    for (let y = 0; y < strip.height; y++) if (rowInk(strip, y) > 0) glyphRows++;
    expect(glyphRows).toBeGreaterThanOrEqual(30);
  });

  it('reads a table row with the cell rules crossing it erased', async () => {
    const page = blankPage(8.27, 11.69, DPI);
    drawGrid(page, { x: 150, y: 300, colWidths: [500, 150, 150, 150, 150], rowHeights: [50, 50, 50], thickness: 3 });
    for (let r = 0; r < 3; r++) {
      drawTextRow(page, 165, 312 + r * 50, 12, 26);
      for (let c = 0; c < 4; c++) drawTextRow(page, 710 + c * 150, 312 + r * 50, 2, 26);
    }
    fillRect(page, 150, 460, 1300, 464, 20); // a bar under the table: also not text
    const { engine, strips } = recordingEngine();
    await scoreUpright(engine)(page);
    const strip = strips[0]!;
    expect(longestRun(strip, 'row')).toBeLessThan(RULE_PX);
    expect(longestRun(strip, 'col')).toBeLessThanOrEqual(26); // glyph stems only: no rule crosses the strip
    let glyphRows = 0;
    for (let y = 0; y < strip.height; y++) if (rowInk(strip, y) > 0) glyphRows++;
    expect(glyphRows).toBeGreaterThanOrEqual(26);
  });

  it('reads one line of two-line header cells: the column rules do not bridge the gap between the lines', async () => {
    // table 四's header: 15 narrow cells, each label wrapped onto two lines (结果 / 维持), 16 column rules
    const page = blankPage(8.27, 11.69, DPI);
    const colWidths = Array.from({ length: 15 }, () => 95);
    drawGrid(page, { x: 100, y: 300, colWidths, rowHeights: [100, 40], thickness: 3 });
    for (let c = 0; c < 15; c++) {
      drawTextRow(page, 120 + c * 95, 318, 2, 26);
      drawTextRow(page, 120 + c * 95, 356, 2, 26);
    }
    const { engine, strips } = recordingEngine();
    await scoreUpright(engine)(page);
    const strip = strips[0]!;
    // one whole line with paper above and below: not one line plus the top half of the next
    expect(rowInk(strip, 0)).toBe(0);
    expect(rowInk(strip, strip.height - 1)).toBe(0);
    let glyphRows = 0;
    for (let y = 0; y < strip.height; y++) if (rowInk(strip, y) > 0) glyphRows++;
    expect(glyphRows).toBe(26);
  });

  it('does not let one confident Han word in a garbled strip outvote a line of weaker ones', async () => {
    const page = blankPage(8.27, 11.69, DPI);
    drawTextRow(page, 150, 300, 20, 30);
    const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
    const word = (text: string, confidence: number): OcrWord => ({ text, confidence, weakest: confidence, box });
    const reading = (words: OcrWord[]): OcrEngine =>
      ({ workers: 1, traineddata: 'fake', readWords: async () => words }) as unknown as OcrEngine;
    // What 淮安市 2024's 表三 page gave for half its heading: upside down one 了 among Latin noise…
    const turned = await scoreUpright(reading([word('rr', 0.17), word('了', 0.87), word('HT', 0.49)]))(page);
    // …the right way up five Han words, two of them well read.
    const upright = await scoreUpright(
      reading([word('人', 0.77), word('汪', 0), word('关', 0), word('此', 0.62), word('人', 0.07)]),
    )(page);
    expect(turned).toBeCloseTo(0.87 / 3, 5);
    expect(upright).toBeCloseTo(1.46 / 5, 5);
    expect(turned).toBeLessThan(upright);
    // A whole line read well still scores as its mean.
    expect(
      await scoreUpright(reading([word('收到', 0.9), word('和处理', 0.96), word('政府', 0.93)]))(page),
    ).toBeCloseTo(0.93, 5);
  });
});

/** A prose reading of one line holding these words (text, confidence). */
function proseOf(words: readonly (readonly [string, number])[]): PageReading {
  const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
  const ws = words.map(([text, confidence]) => ({ text, confidence, weakest: confidence, box }));
  return {
    paragraphs: [{ box, confidence: 0.9, lines: [{ text: '', confidence: 0.9, box, words: ws }] }],
    confidence: 0.9,
  };
}

describe('proseUprightScore', () => {
  it('is the mean confidence of the Han words only, digits and Latin left out', () => {
    const han = Array.from({ length: MIN_PROSE_HAN_WORDS }, (_, i) => ['公开', i % 2 ? 0.8 : 1] as const);
    const score = proseUprightScore(proseOf([...han, ['2023', 0.1], ['ABC', 0.2]]));
    expect(score).toBeCloseTo(0.9, 6);
  });

  it('says nothing when the prose holds too few Han words, or none was read', () => {
    const few = Array.from({ length: MIN_PROSE_HAN_WORDS - 1 }, () => ['申请', 0.99] as const);
    expect(proseUprightScore(proseOf([...few, ['123', 0.99], ['456', 0.99]]))).toBeNull();
    expect(proseUprightScore(null)).toBeNull();
  });
});
