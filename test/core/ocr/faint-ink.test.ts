import { describe, expect, it } from 'vitest';
import { faintInk } from '../../../core/ocr/faint-ink.js';
import { findInk } from '../../../core/ocr/find-ink.js';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';

const W = 120;
const H = 60;
const FRAME = { x0: 0, y0: 0, x1: W, y1: H };

function raster(paint: (x: number, y: number) => number): GrayRaster {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = paint(x, y);
  return { width: W, height: H, data };
}
/** Seeded grain of ± amp gray levels. */
const grain = (amp: number) => {
  let s = 7;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 2 * amp;
};
/** Two digit-like strokes (a "11") in the middle of the cell. */
const stroke = (x: number, y: number): boolean => y >= 18 && y < 42 && ((x >= 50 && x < 54) || (x >= 66 && x < 70));

describe('faintInk: a crop findInk calls blank that still holds marks', () => {
  it('digits in shade, too faint for the contrast test, are faint ink', () => {
    const g = grain(6);
    const shaded = raster((x, y) => Math.round((stroke(x, y) ? 140 : 195) + g()));
    expect(findInk(shaded, FRAME, 300).box).toBeNull();
    expect(faintInk(shaded, FRAME, 300)).toBe(true);
  });

  it('paper grain, a scanner gradient and full-black fax specks are not', () => {
    const g = grain(15);
    expect(
      faintInk(
        raster(() => Math.round(230 + g())),
        FRAME,
        300,
      ),
    ).toBe(false);
    expect(
      faintInk(
        raster((x) => Math.round(200 + x / 4 + g())),
        FRAME,
        300,
      ),
    ).toBe(false);
    expect(
      faintInk(
        raster((x, y) => ((x * 7 + y * 13) % 97 === 0 ? 0 : 255)),
        FRAME,
        204,
      ),
    ).toBe(false);
  });
});
