import { describe, expect, it } from 'vitest';
import type { CellReading } from '../../../core/ocr/cell-reading.js';
import { flanksAsZero } from '../../../core/ocr/flanks-zero.js';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';
import { inspectCell } from '../../../core/ocr/read-cell.js';
import { digitsIn, pullApart, rereadTouching } from '../../../core/ocr/split-touching.js';
import { fairPitch, type SeenCell } from '../../../core/ocr/standard-digits.js';
import { scripted } from '../../helpers/scripted-engine.js';

/** A white cell at 204 dpi (a standard-mode fax squared), ink drawn as black boxes; digits 18 px tall, 12.5 px apart. */
function cell(boxes: readonly (readonly [number, number, number, number])[]): {
  raster: GrayRaster;
  ink: NonNullable<ReturnType<typeof inspectCell>>;
} {
  const width = 90;
  const height = 40;
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) data.fill(0, y * width + x0, y * width + x1);
  const raster = { width, height, data };
  return { raster, ink: inspectCell(raster, { x0: 0, y0: 0, x1: width, y1: height }, 204)! };
}

const PITCH = 12.5;
/** A digit-like glyph 9 px wide at x: two stems and three bars (an 8 the fax kept whole). */
const eight = (x: number): [number, number, number, number][] => [
  [x, 10, x + 2, 28],
  [x + 7, 10, x + 9, 28],
  [x, 10, x + 9, 12],
  [x, 18, x + 9, 20],
  [x, 26, x + 9, 28],
];
/** Two 8s a pitch apart, run together by a bar across the gap between them (a fax pel). */
const touching = (): ReturnType<typeof cell> => cell([...eight(20), ...eight(32), [28, 18, 33, 19]]);
const reading = (text: string, confidence: number, kind: CellReading['kind'] = 'digits'): CellReading => ({
  text,
  confidence,
  alternatives: [],
  kind,
  rows: 1,
});

describe('touching digits pulled apart by the digit pitch', () => {
  it('counts the tabular digits a glyph holds', () => {
    expect(digitsIn(9, PITCH)).toBe(1);
    expect(digitsIn(13, PITCH)).toBe(1);
    expect(digitsIn(21, PITCH)).toBe(2);
    expect(digitsIn(37, PITCH)).toBe(3);
  });

  it('cuts a glyph two digits wide at its thinnest column and sets a blank gap between the pieces', () => {
    const { raster, ink } = touching();
    expect(ink.ink.glyphs).toHaveLength(1);
    const pulled = pullApart(raster, ink.ink, PITCH)!;
    expect(pulled.digits).toBe(2);
    expect(pulled.centres[1]! - pulled.centres[0]!).toBeCloseTo(PITCH, -0.5);
    // The image is wider than the ink by the gap, and some column in its middle is blank paper.
    const { width, height, data } = pulled.image;
    expect(width).toBeGreaterThan(21);
    const blank = (x: number): boolean => [...Array(height).keys()].every((y) => data[y * width + x] === 255);
    expect([...Array(width).keys()].filter((x) => x > 5 && x < width - 5).some(blank)).toBe(true);
    // Digits a gap apart are left alone.
    const apart = cell([...eight(20), ...eight(33)]);
    expect(pullApart(apart.raster, apart.ink.ink, PITCH)).toBeNull();
  });

  it('takes the number both copies read pulled apart; one copy against a reading of text is a doubt', async () => {
    const { raster, ink } = touching();
    const copies = [
      { raster, ink: ink.ink },
      { raster, ink: ink.ink },
    ];
    const agreed = await rereadTouching(reading('8', 0.6), copies, PITCH, 204, scripted('88', ''));
    expect(agreed).toMatchObject({ text: '88', kind: 'digits', glyphs: 2 });
    expect(agreed.confidence).toBeLessThanOrEqual(0.85);
    expect(agreed.alternatives).toContain('8');
    const one = await rereadTouching(reading('李', 0.9, 'label'), copies.slice(1), PITCH, 204, scripted('88', ''));
    expect(one).toMatchObject({ text: '88', kind: 'digits' });
    expect(one.confidence).toBeLessThanOrEqual(0.5);
    // A reading of as many digits as the pitch counts stays; the split reading is an alternative for the sums.
    const kept = await rereadTouching(reading('86', 0.4), copies.slice(1), PITCH, 204, scripted('88', ''));
    expect([kept.text, kept.alternatives]).toEqual(['86', ['88']]);
    // A split reading without the digits the pitch counts is no evidence.
    const short = await rereadTouching(reading('8', 0.6), copies, PITCH, 204, scripted('8', ''));
    expect(short.text).toBe('8');
  });
});

describe('a 0 read from its two flanks', () => {
  it('reads two straight stems closer than a digit as a doubtful 0, and leaves 11 a pitch apart alone', () => {
    const flanks = cell([
      [30, 10, 33, 28],
      [38, 10, 41, 28],
    ]).ink.ink;
    const zero = flanksAsZero(reading('11', 0.6), flanks, PITCH);
    expect(zero.text).toBe('0');
    expect(zero.confidence).toBeLessThanOrEqual(0.6);
    expect(zero.alternatives).toContain('11');
    const eleven = cell([
      [30, 10, 33, 28],
      [43, 10, 46, 28],
    ]).ink.ink;
    expect(flanksAsZero(reading('11', 0.6), eleven, PITCH).text).toBe('11');
    expect(flanksAsZero(reading('14', 0.6), flanks, PITCH).text).toBe('14');
  });
});

describe("a standard-mode table's digit pitch without sure numbers", () => {
  const seen = (height: number): SeenCell => ({
    ink: { ...cell([[30, 10, 33, 10 + height]]).ink, inkHeight: height },
    sharp: null,
  });
  it('is not taught by 11s read from the flanks of 0s, and is guessed from the digits height', () => {
    const flanks: CellReading = { ...reading('11', 0.6), centres: [43, 51.5] };
    const tall = [13, 14, 13, 18, 18, 18, 17].map(seen);
    expect(fairPitch(Array(7).fill(flanks), tall, null)).toBeCloseTo(0.68 * 18, 5);
    expect(fairPitch([], tall, 12.5)).toBe(12.5);
    expect(fairPitch([], tall.slice(0, 3), null)).toBeNull();
  });
});
