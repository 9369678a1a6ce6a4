import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';
import { isRing, mendOvals } from '../../../core/ocr/mend-ovals.js';
import type { LineReading, OcrEngine } from '../../../core/ocr/ocr-engine.js';
import { readCell } from '../../../core/ocr/read-cell.js';

/** A 204-dpi cell (a fax line's resolution) drawn from rows of '#' (ink) and '.' (paper), centred in white margins. */
function cell(art: readonly string[]) {
  const margin = 20;
  const width = art[0]!.length + 2 * margin;
  const height = art.length + 2 * margin;
  const data = new Uint8Array(width * height).fill(250);
  art.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === '#') data[(y + margin) * width + x + margin] = 10;
  });
  const raster = { width, height, data };
  return { raster, ink: findInk(raster, { x0: 0, y0: 0, x1: width, y1: height }, 204) };
}

/** A 0 whose hairline top and bottom a fax lost: two arcs facing each other (drawn from a standard-mode page). */
const ARCS = [
  '...#....#...',
  '..##....###.',
  '.###.....##.',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '###......###',
  '.##......##.',
  '.###....###.',
  '..##....###.',
  '.......###..',
];
/** A 0 that kept its bottom and lost its top: reads as U. */
const U = [
  '..........##..',
  '..###....####.',
  '.####....####.',
  '.####....#####',
  '#####....#####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '#####.....####',
  '.####.....####',
  '.####.....####',
  '.#####...#####',
  '..###########.',
  '..##########..',
  '...########...',
];
/** 11 in a serif face: straight stems with a flag and a foot. */
const ONES = [
  '..##.......##..',
  '.###......###..',
  '####.....####..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '..##.......##..',
  '######...######',
];

describe('mendOvals: a 0 whose hairlines a fax lost is closed again', () => {
  it('joins two arcs facing each other into a ring', () => {
    const { ink } = cell(ARCS);
    expect(isRing(ink.mask, ink.crop.x1 - ink.crop.x0, ink.crop.y1 - ink.crop.y0)).toBe(false);
    const mended = mendOvals(ink);
    expect(mended).not.toBeNull();
    expect(isRing(mended!, ink.crop.x1 - ink.crop.x0, ink.crop.y1 - ink.crop.y0)).toBe(true);
  });

  it('closes the open top of a U-shaped 0', () => {
    const { ink } = cell(U);
    const mended = mendOvals(ink);
    expect(mended).not.toBeNull();
    expect(isRing(mended!, ink.crop.x1 - ink.crop.x0, ink.crop.y1 - ink.crop.y0)).toBe(true);
  });

  it('leaves straight stems alone: 11 is no broken 0', () => {
    expect(mendOvals(cell(ONES).ink)).toBeNull();
  });

  it('tells a 0 from an 8 and a 6 by their counters', () => {
    const ring = ['.####.', '##..##', '#....#', '#....#', '#....#', '#....#', '##..##', '.####.'];
    const eight = ['.####.', '#....#', '#....#', '.####.', '#....#', '#....#', '#....#', '.####.'];
    const six = ['.####.', '#.....', '#.....', '#.....', '#####.', '#....#', '#....#', '.####.'];
    const ringOf = (art: string[]): boolean => {
      const big = art.flatMap((r) => {
        const wide = [...r].map((c) => c.repeat(2)).join('');
        return [wide, wide];
      });
      const { ink } = cell(big);
      return isRing(ink.mask, ink.crop.x1 - ink.crop.x0, ink.crop.y1 - ink.crop.y0);
    };
    expect(ringOf(ring)).toBe(true);
    expect(ringOf(eight)).toBe(false);
    expect(ringOf(six)).toBe(false);
  });
});

describe('readCell: a doubtful one-glyph reading whose ink is a ring is a 0', () => {
  /** A recogniser that reads every crop as `text` at `confidence` (the digits setup on a fax 0: 8, 9 or nothing). */
  const scripted = (text: string, confidence: number): OcrEngine => ({
    workers: 1,
    traineddata: 'scripted',
    readPage: () => Promise.reject(new Error('not used')),
    readWords: () => Promise.resolve([]),
    readLine: (): Promise<LineReading> => Promise.resolve({ text, confidence, weakest: confidence }),
    stats: () => ({ calls: 0, busyMs: 0 }),
    terminate: () => Promise.resolve(),
  });
  const frame = (r: GrayRaster) => ({ x0: 0, y0: 0, x1: r.width, y1: r.height });

  it('takes 0 over a doubtful 8 and keeps it doubtful, with the 8 as evidence', async () => {
    const { raster } = cell(ARCS);
    const read = await readCell(raster, frame(raster), 204, scripted('8', 0.6));
    expect(read.text).toBe('0');
    expect(read.confidence).toBeLessThanOrEqual(0.6);
    expect(read.alternatives).toContain('8');
  });

  it('reads a broken 0 the recogniser finds nothing in as 0, doubtful', async () => {
    const { raster } = cell(U);
    const read = await readCell(raster, frame(raster), 204, scripted('', 0));
    expect(read).toMatchObject({ text: '0', kind: 'digits' });
    expect(read.confidence).toBeLessThanOrEqual(0.6);
  });

  it('keeps a confident reading, and a doubtful one whose ink is no ring', async () => {
    const { raster } = cell(U);
    expect((await readCell(raster, frame(raster), 204, scripted('8', 0.97))).text).toBe('8');
    const ones = cell(ONES).raster;
    expect((await readCell(ones, frame(ones), 204, scripted('11', 0.6))).text).toBe('11');
  });
});
