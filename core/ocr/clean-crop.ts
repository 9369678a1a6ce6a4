import type { InkReport } from './find-ink.js';
import type { GrayRaster } from './gray-raster.js';

export interface CleanCropOptions {
  /** White margin around the ink, in pixels: tesseract wants a quiet zone around a line. */
  readonly pad: number;
  /** Keep the scan's gray levels on the ink (true) or paint the kept ink pure black (a second, binarised reading). */
  readonly gray: boolean;
}

/**
 * A crop that holds only the glyphs `findInk` kept, on white paper: rule remnants, specks and
 * neighbouring cells' ink are gone, so the recogniser sees the text and nothing else.
 */
export function cleanCrop(raster: GrayRaster, ink: InkReport, opts: CleanCropOptions): GrayRaster | null {
  if (!ink.box) return null;
  const pad = Math.max(1, Math.round(opts.pad));
  const b = ink.box;
  const width = b.x1 - b.x0 + 2 * pad;
  const height = b.y1 - b.y0 + 2 * pad;
  const data = new Uint8Array(width * height).fill(255);
  const cw = ink.crop.x1 - ink.crop.x0;
  const ch = ink.crop.y1 - ink.crop.y0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const mx = x - ink.crop.x0;
      const my = y - ink.crop.y0;
      // The kept ink plus its one-pixel rim, so anti-aliased glyph edges survive in the gray reading.
      let keep = false;
      for (let dy = -1; dy <= 1 && !keep; dy++) {
        for (let dx = -1; dx <= 1 && !keep; dx++) {
          const nx = mx + dx;
          const ny = my + dy;
          if (nx >= 0 && ny >= 0 && nx < cw && ny < ch && ink.mask[ny * cw + nx] === 1)
            keep = opts.gray || (dx === 0 && dy === 0);
        }
      }
      if (!keep) continue;
      data[(y - b.y0 + pad) * width + (x - b.x0 + pad)] = opts.gray ? (raster.data[y * raster.width + x] ?? 255) : 0;
    }
  }
  return { width, height, data };
}
