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
  const bw = b.x1 - b.x0;
  // The kept ink plus its one-pixel rim (gray), so anti-aliased glyph edges survive in the gray
  // reading; the kept ink alone painted black (binary). The rim is the mask spread one pixel along
  // each row (`near`, box rows with the row above and below), then across three rows.
  const near = opts.gray
    ? spreadRows(ink.mask, cw, ch, b.x0 - ink.crop.x0, bw, b.y0 - ink.crop.y0 - 1, b.y1 - b.y0 + 2)
    : null;
  for (let y = b.y0; y < b.y1; y++) {
    const my = y - ink.crop.y0;
    const out = (y - b.y0 + pad) * width + pad;
    const src = y * raster.width + b.x0;
    for (let i = 0; i < bw; i++) {
      if (near === null) {
        if (ink.mask[my * cw + b.x0 - ink.crop.x0 + i] === 1) data[out + i] = 0;
      } else if ((near[(y - b.y0) * bw + i]! | near[(y - b.y0 + 1) * bw + i]! | near[(y - b.y0 + 2) * bw + i]!) !== 0) {
        data[out + i] = raster.data[src + i] ?? 255;
      }
    }
  }
  return { width, height, data };
}

/**
 * Rows `y0 … y0 + rows − 1` of a crop mask (`cw` × `ch`), each spread one pixel left and right over
 * the columns `x0 … x0 + bw − 1`: 1 where the mask holds ink at or beside the pixel. Rows outside the
 * mask stay 0.
 */
function spreadRows(
  mask: Uint8Array,
  cw: number,
  ch: number,
  x0: number,
  bw: number,
  y0: number,
  rows: number,
): Uint8Array {
  const out = new Uint8Array(rows * bw);
  for (let r = 0; r < rows; r++) {
    const my = y0 + r;
    if (my < 0 || my >= ch) continue;
    const row = my * cw;
    for (let i = 0; i < bw; i++) {
      const mx = x0 + i;
      if (mask[row + mx] === 1 || (mx > 0 && mask[row + mx - 1] === 1) || (mx + 1 < cw && mask[row + mx + 1] === 1))
        out[r * bw + i] = 1;
    }
  }
  return out;
}
