import { describe, expect, it } from 'vitest';
import { cleanCrop } from '../../../core/ocr/clean-crop.js';
import { components, findInk, type InkReport } from '../../../core/ocr/find-ink.js';
import type { GrayRaster, PixelBox } from '../../../core/ocr/gray-raster.js';

/** Seeded pseudo-random source (the same masks every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

/** A mask of blobs and specks: ink in clumps, as a cell's glyphs leave it. */
function blobs(w: number, h: number, rnd: () => number): Uint8Array {
  const mask = new Uint8Array(w * h);
  for (let b = 0; b < 6; b++) {
    const cx = Math.floor(rnd() * w);
    const cy = Math.floor(rnd() * h);
    const r = 1 + Math.floor(rnd() * 5);
    for (let y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++)
      for (let x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++) if (rnd() < 0.8) mask[y * w + x] = 1;
  }
  return mask;
}

/** cleanCrop as first written: each pixel of the ink box looks at its 3 × 3 neighbourhood in the mask. */
function plainCleanCrop(raster: GrayRaster, ink: InkReport, pad0: number, gray: boolean): GrayRaster {
  const pad = Math.max(1, Math.round(pad0));
  const b = ink.box!;
  const width = b.x1 - b.x0 + 2 * pad;
  const height = b.y1 - b.y0 + 2 * pad;
  const data = new Uint8Array(width * height).fill(255);
  const cw = ink.crop.x1 - ink.crop.x0;
  const ch = ink.crop.y1 - ink.crop.y0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const mx = x - ink.crop.x0;
      const my = y - ink.crop.y0;
      let keep = false;
      for (let dy = -1; dy <= 1 && !keep; dy++) {
        for (let dx = -1; dx <= 1 && !keep; dx++) {
          const nx = mx + dx;
          const ny = my + dy;
          if (nx >= 0 && ny >= 0 && nx < cw && ny < ch && ink.mask[ny * cw + nx] === 1)
            keep = gray || (dx === 0 && dy === 0);
        }
      }
      if (keep) data[(y - b.y0 + pad) * width + (x - b.x0 + pad)] = gray ? raster.data[y * raster.width + x]! : 0;
    }
  }
  return { width, height, data };
}

/** components as first written: an array stack, pixels visited in the same last-in first-out order. */
function plainComponents(mask: Uint8Array, w: number, h: number, four: boolean): number[][] {
  const seen = new Uint8Array(w * h);
  const out: number[][] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || seen[start]) continue;
    const pixels: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const p = stack.pop()!;
      pixels.push(p);
      const x = p % w;
      const y = (p - x) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h || (four && dx !== 0 && dy !== 0)) continue;
          const q = ny * w + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    out.push(pixels);
  }
  return out;
}

describe('cell ink passes, rewritten for speed, equal their plain definitions', () => {
  it('cleanCrop keeps the same pixels as the 3 × 3 neighbourhood test, gray and binary, boxes at the crop edge too', () => {
    const rnd = random(11);
    for (let t = 0; t < 60; t++) {
      const rw = 30 + Math.floor(rnd() * 60);
      const rh = 20 + Math.floor(rnd() * 40);
      const raster = { width: rw, height: rh, data: Uint8Array.from({ length: rw * rh }, () => rnd() * 256) };
      const crop: PixelBox = { x0: 2 + Math.floor(rnd() * 5), y0: 1 + Math.floor(rnd() * 4), x1: rw - 3, y1: rh - 2 };
      const cw = crop.x1 - crop.x0;
      const ch = crop.y1 - crop.y0;
      const mask = blobs(cw, ch, rnd);
      // The box the ink spans, sometimes the whole crop (its rim then falls outside the mask).
      const whole = t % 3 === 0;
      const bx0 = whole ? 0 : Math.floor(rnd() * (cw / 3));
      const by0 = whole ? 0 : Math.floor(rnd() * (ch / 3));
      const box = {
        x0: crop.x0 + bx0,
        y0: crop.y0 + by0,
        x1: crop.x1 - (whole ? 0 : 1),
        y1: crop.y1 - (whole ? 0 : 1),
      };
      const ink = { box, crop, mask } as unknown as InkReport;
      for (const gray of [true, false])
        for (const pad of [0.4, 3.6]) {
          const got = cleanCrop(raster, ink, { pad, gray })!;
          const want = plainCleanCrop(raster, ink, pad, gray);
          expect([got.width, got.height]).toEqual([want.width, want.height]);
          expect(Buffer.from(got.data).equals(Buffer.from(want.data))).toBe(true);
        }
    }
  });

  it('components finds the same pieces, their pixels in the same order, 8- and 4-connected', () => {
    const rnd = random(5);
    for (let t = 0; t < 40; t++) {
      const w = 10 + Math.floor(rnd() * 80);
      const h = 10 + Math.floor(rnd() * 50);
      // Dense masks too: one component of thousands of pixels grows the stack well past its start.
      const mask = t % 4 === 0 ? Uint8Array.from({ length: w * h }, () => (rnd() < 0.7 ? 1 : 0)) : blobs(w, h, rnd);
      for (const four of [false, true])
        expect(components(mask, w, h, four).map((c) => c.pixels)).toEqual(plainComponents(mask, w, h, four));
    }
  });

  it('still clears a broken rule whose dashes are as sparse as the bridged gap allows', () => {
    // 300 dpi: gaps up to 4 px are bridged. One ink pixel in five: the run bound is exactly the rule's length.
    const w = 200;
    const h = 60;
    const data = new Uint8Array(w * h).fill(240);
    for (let x = 0; x < w; x += 5) data[1 * w + x] = 10; // the dashed rule along the top edge
    for (let y = 20; y < 45; y++) for (let x = 90; x < 120; x++) data[y * w + x] = 20; // a glyph
    const ink = findInk({ width: w, height: h, data }, { x0: 0, y0: 0, x1: w, y1: h }, 300);
    expect(ink.box).toEqual({ x0: 90, y0: 20, x1: 120, y1: 45 });
  });
});
