import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import { readByShapes, stemOnes, type NumberCell } from '../../../core/ocr/page-digit-shapes.js';

/** Digits 7 px wide and 12 tall, one pitch (10 px) apart, as a fine-mode fax leaves small table digits. */
const DIGITS: Record<string, readonly string[]> = {
  '0': [
    '.#####.',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '##...##',
    '.#####.',
  ],
  '1': [
    '...##..',
    '..###..',
    '...##..',
    '...##..',
    '...##..',
    '...##..',
    '...##..',
    '...##..',
    '...##..',
    '...##..',
    '...##..',
    '..####.',
  ],
  '2': [
    '.#####.',
    '##...##',
    '.....##',
    '.....##',
    '....##.',
    '...##..',
    '..##...',
    '.##....',
    '##.....',
    '##.....',
    '##.....',
    '#######',
  ],
  '3': [
    '######.',
    '.....##',
    '.....##',
    '.....##',
    '..####.',
    '.....##',
    '.....##',
    '.....##',
    '.....##',
    '.....##',
    '.....##',
    '######.',
  ],
  '5': [
    '#######',
    '##.....',
    '##.....',
    '##.....',
    '######.',
    '.....##',
    '.....##',
    '.....##',
    '.....##',
    '.....##',
    '##...##',
    '.#####.',
  ],
  /** No sure 7 on the page: the classifier must not call it the nearest known digit. */
  '7': [
    '#######',
    '.....##',
    '....##.',
    '....##.',
    '...##..',
    '...##..',
    '..##...',
    '..##...',
    '.##....',
    '.##....',
    '##.....',
    '##.....',
  ],
};
const PITCH = 10;

/** A number cell drawn on white paper at 204 dpi, with its reading; `noise` flips one pixel of the first digit. */
function number(printed: string, text: string, confidence: number, noise = 0): NumberCell {
  const margin = 12;
  const width = printed.length * PITCH + 2 * margin;
  const height = 12 + 2 * margin;
  const data = new Uint8Array(width * height).fill(250);
  [...printed].forEach((d, i) =>
    DIGITS[d]!.forEach((row, y) => {
      for (let x = 0; x < row.length; x++) if (row[x] === '#') data[(y + margin) * width + margin + i * PITCH + x] = 10;
    }),
  );
  if (noise) data[(margin + 5 + (noise % 3)) * width + margin + 3] = 10;
  const ink = findInk({ width, height, data }, { x0: 0, y0: 0, x1: width, y1: height }, 204);
  return { text, confidence, ink, glyphs: ink.glyphs.length };
}

/** Sure numbers of the page: every digit but 7 read at ≥ 0.9 at least twice. */
const sure = ['10', '23', '105', '31', '52', '201', '35', '12', '30'].map((t, i) => number(t, t, 0.95, i));

/** The numbers the shapes would read instead of the recogniser (null: none). */
const instead = (cells: readonly NumberCell[]): (string | null)[] =>
  readByShapes(cells, PITCH).map((r) => r?.text ?? null);

describe('readByShapes: doubtful numbers read by the page’s own sure digits', () => {
  it('reads a doubtful number whose every digit matches one sure digit of the page', () => {
    const cells = [...sure, number('50', '', 0), number('103', '1O3', 0.4), number('0', '11', 0.6)];
    expect(instead(cells).slice(sure.length)).toEqual(['50', '103', '0']);
  });

  it('leaves sure readings, and readings the shapes agree with, as they are', () => {
    const cells = [...sure, number('25', '25', 0.5)];
    expect(instead(cells).every((r) => r === null)).toBe(true);
    expect(readByShapes(cells, PITCH).at(-1)).toEqual({ digits: '25' });
  });

  it('says nothing of a digit with no sure example on the page: a 7 is none of the known digits', () => {
    const cells = [...sure, number('70', '', 0), number('7', '1', 0.5)];
    // The 0 is known, the 7 is not: the sums may fill in `?0`; a lone unknown digit says nothing.
    expect(readByShapes(cells, PITCH).slice(sure.length)).toEqual([{ digits: '?0' }, null]);
  });

  it("never overrules the recogniser's digit where the page has no sure example of it", () => {
    // The recogniser read an 8 (no sure 8 here): the shapes cannot say it is not one.
    const cells = [...sure, number('30', '38', 0.5)];
    expect(readByShapes(cells, PITCH).at(-1)).toEqual({ digits: '3?' });
  });

  it('learns nothing from a page with too few sure numbers', () => {
    const cells = [...sure.map((c) => ({ ...c, confidence: 0.5 })), number('50', '', 0)];
    expect(readByShapes(cells, PITCH).every((r) => r === null)).toBe(true);
  });
});

describe('stemOnes: a 1 on a table whose 4s and 7s thinned to stems', () => {
  it('reads each 1 of a number as a 4 or a 7 too (34 read 31, 4 read 1), sure or not, where the sure numbers print hardly a 4 or a 7', () => {
    const cells = [...sure, number('31', '31', 0.95), number('1', '1', 0.3), number('0', '0', 0.95)];
    expect(stemOnes(cells).slice(sure.length)).toEqual([['34', '37'], ['4', '7'], null]);
  });

  it('leaves the 1s of a table whose sure numbers print 4s or 7s as any face does', () => {
    const cells = [...sure, ...['17', '72', '27'].map((t) => number(t, t, 0.95)), number('31', '31', 0.95)];
    expect(stemOnes(cells).every((r) => r === null)).toBe(true);
  });

  it('says nothing on a table with too few sure digits to miss a 4 or a 7', () => {
    const cells = [number('10', '10', 0.95), number('23', '23', 0.95), number('31', '31', 0.95)];
    expect(stemOnes(cells).every((r) => r === null)).toBe(true);
  });
});
