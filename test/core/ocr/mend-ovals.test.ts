import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import { isRing, mendOvals } from '../../../core/ocr/mend-ovals.js';

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
