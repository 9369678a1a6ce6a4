import { describe, expect, it } from 'vitest';
import { despeckleBilevel } from '../../../core/raster/despeckle-bilevel.js';

/** A 40 × 20 paper page with ink painted at the given boxes (x, y, width, height). */
function page(boxes: readonly (readonly [number, number, number, number])[]) {
  const width = 40;
  const height = 20;
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, w, h] of boxes)
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data[y * width + x] = 0;
  return { width, height, data };
}
const inkAt = (img: { width: number; data: Uint8Array }, x: number, y: number): boolean =>
  img.data[y * img.width + x]! < 128;

describe('despeckleBilevel', () => {
  it('paints single dots and 2×2 clumps paper', () => {
    const out = despeckleBilevel(
      page([
        [1, 1, 1, 1],
        [10, 5, 2, 2],
        [20, 10, 2, 1],
      ]),
    );
    expect([...out.data].every((v) => v === 255)).toBe(true);
  });

  it('keeps a full stop (3 × 2 pels), a minus sign (4 × 1) and a glyph stroke, pel for pel', () => {
    const before = page([
      [2, 2, 3, 2],
      [10, 8, 4, 1],
      [20, 2, 2, 12],
      [30, 15, 1, 1],
    ]);
    const out = despeckleBilevel(before);
    expect(inkAt(out, 2, 2) && inkAt(out, 4, 3)).toBe(true);
    expect(inkAt(out, 10, 8) && inkAt(out, 13, 8)).toBe(true);
    expect(inkAt(out, 20, 2) && inkAt(out, 21, 13)).toBe(true);
    expect(inkAt(out, 30, 15)).toBe(false);
    // Nothing but the speck changed.
    const changed = [...out.data].filter((v, i) => v !== before.data[i]).length;
    expect(changed).toBe(1);
  });

  it('keeps a speck that touches a glyph (it is part of that glyph for every later stage)', () => {
    const out = despeckleBilevel(
      page([
        [5, 5, 2, 8],
        [7, 13, 1, 1],
      ]),
    );
    expect(inkAt(out, 7, 13)).toBe(true);
  });
});
