/**
 * strokeBeside: kept ink beside a lone stem, too short to count as a glyph but half a digit tall, is
 * a 0's broken flank (淮安市's fine fax: a 0 read 1 at 0.97); a 1's foot and flag join its stem.
 */
import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import { strokeBeside } from '../../../core/ocr/glyph-shapes.js';

/** A 204-dpi cell: strokes given as [x, y0, y1) columns 3 px wide, drawn black on white. */
function cell(strokes: readonly (readonly [number, number, number])[], feet: readonly [number, number, number][] = []) {
  const width = 60;
  const height = 40;
  const data = new Uint8Array(width * height).fill(250);
  for (const [x, y0, y1] of strokes)
    for (let y = y0; y < y1; y++) for (let dx = 0; dx < 3; dx++) data[y * width + x + dx] = 10;
  // Horizontal bars [x0, x1) at row y, two rows thick: a 1's foot.
  for (const [x0, x1, y] of feet) for (let x = x0; x < x1; x++) [y, y + 1].forEach((r) => (data[r * width + x] = 10));
  return findInk({ width, height, data }, { x0: 0, y0: 0, x1: width, y1: height }, 204);
}

describe('strokeBeside', () => {
  it('finds the broken flank of a 0 beside its whole one', () => {
    const ink = cell([
      [26, 12, 27],
      [33, 12, 20],
    ]);
    expect(ink.glyphs).toHaveLength(1);
    expect(strokeBeside(ink)).toBe(true);
  });

  it('finds nothing beside a 1, its foot joined to the stem', () => {
    const ink = cell([[28, 12, 27]], [[25, 34, 25]]);
    expect(ink.glyphs).toHaveLength(1);
    expect(strokeBeside(ink)).toBe(false);
  });

  it('takes a speck beside a stem for no stroke', () => {
    const ink = cell([
      [26, 12, 27],
      [33, 14, 17],
    ]);
    expect(strokeBeside(ink)).toBe(false);
  });
});
