import type { InkReport } from './find-ink.js';

/**
 * Ink shares on a grid (one home for the shape grids of page-digit-shapes.ts and label-shapes.ts):
 * a window of a cell's kept ink cut into cols × rows cells, each the share of its pixels that are ink.
 */

/** A window of a crop's mask: crop pixels, `left` may be fractional (a digit window about its centre). */
export interface InkWindow {
  readonly left: number;
  readonly width: number;
  readonly top: number;
  readonly height: number;
}

/**
 * Ink share of each cell of a cols × rows grid over `win`, row-major. A pixel's cell is
 * floor(((x − left) / width) · cols): the rounding the fax digit classifier was measured with, kept
 * so its shapes do not move.
 */
export function inkShares(ink: InkReport, win: InkWindow, cols: number, rows: number): Float32Array {
  const w = ink.crop.x1 - ink.crop.x0;
  const { left, width, top, height } = win;
  const out = new Float32Array(cols * rows);
  const counts = new Float32Array(cols * rows);
  const x0 = Math.max(0, Math.floor(left));
  const x1 = Math.min(w, Math.ceil(left + width));
  for (let y = top; y < top + height; y++) {
    const gy = Math.min(rows - 1, Math.floor(((y - top) / height) * rows));
    for (let x = x0; x < x1; x++) {
      const gx = Math.min(cols - 1, Math.max(0, Math.floor(((x - left) / width) * cols)));
      counts[gy * cols + gx]!++;
      out[gy * cols + gx]! += ink.mask[y * w + x]!;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = counts[i]! > 0 ? out[i]! / counts[i]! : 0;
  return out;
}
