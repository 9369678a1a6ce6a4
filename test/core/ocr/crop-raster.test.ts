import { describe, expect, it } from 'vitest';
import { scaleRaster } from '../../../core/ocr/crop-raster.js';

/** Bilinear scaling by its definition, each output pixel on its own (what scaleRaster must match). */
function reference(src: Uint8Array, sw: number, sh: number, factor: number): number[] {
  const width = Math.max(1, Math.round(sw * factor));
  const height = Math.max(1, Math.round(sh * factor));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const fy = Math.min(sh - 1, (y + 0.5) / factor - 0.5);
      const fx = Math.min(sw - 1, (x + 0.5) / factor - 0.5);
      const y0 = Math.max(0, Math.floor(fy));
      const x0 = Math.max(0, Math.floor(fx));
      const y1 = Math.min(sh - 1, y0 + 1);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wy = Math.max(0, fy - y0);
      const wx = Math.max(0, fx - x0);
      const top = src[y0 * sw + x0]! * (1 - wx) + src[y0 * sw + x1]! * wx;
      const bottom = src[y1 * sw + x0]! * (1 - wx) + src[y1 * sw + x1]! * wx;
      out.push(Math.round(top * (1 - wy) + bottom * wy));
    }
  }
  return out;
}

describe('scaleRaster (small glyphs read larger)', () => {
  it('matches per-pixel bilinear scaling for odd sizes and factors', () => {
    let s = 7;
    const rnd = (): number => (s = (s * 48271) % 2147483647) % 256;
    for (const [w, h] of [
      [1, 1],
      [5, 3],
      [37, 19],
    ] as const) {
      const data = Uint8Array.from({ length: w * h }, rnd);
      for (const factor of [1, 1.37, 2, 2.9]) {
        const got = scaleRaster({ width: w, height: h, data }, factor);
        expect(got.width).toBe(Math.max(1, Math.round(w * factor)));
        expect(Array.from(got.data)).toEqual(reference(data, w, h, factor));
      }
    }
  });

  it('doubles a two-pixel ramp into a smooth one (two rows of it)', () => {
    const got = scaleRaster({ width: 2, height: 1, data: Uint8Array.from([0, 200]) }, 2);
    expect(Array.from(got.data)).toEqual([0, 50, 150, 200, 0, 50, 150, 200]);
  });
});
