import type { BinaryRaster } from './raster.js';

/**
 * Shrinks a binary image by an integer factor: a cell is ink when any source pixel in its block is
 * ink (so thin rules and strokes survive). Used where rules and glyph components are analysed at
 * ≈ 100–150 dpi (perspective rule search, text-scale estimate).
 */
export function downscaleBinary(src: BinaryRaster, factor: number): BinaryRaster {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return src;
  const w = Math.floor(src.width / f);
  const h = Math.floor(src.height / f);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h * f; y++) {
    const srcRow = y * src.width;
    const dstRow = Math.floor(y / f) * w;
    for (let x = 0; x < w * f; x++) {
      if (src.data[srcRow + x] === 1) out[dstRow + Math.floor(x / f)] = 1;
    }
  }
  return { width: w, height: h, data: out, dpi: src.dpi / f };
}
