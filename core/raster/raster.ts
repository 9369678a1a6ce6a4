import { nextInk, wordsOf } from './ink-runs.js';

/**
 * An 8-bit grayscale image, row-major, one byte per pixel (0 = black, 255 = white), with the
 * resolution it was scanned or rendered at. Page points convert as pt = px * 72 / dpi.
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly dpi: number;
  /**
   * Lines an inch of the coarser axis when the pixels were stretched from a much coarser one (fax
   * standard mode: 98 lines shown at 204 dpi); absent for square scans.
   */
  readonly lineDpi?: number;
  /**
   * The pixels were resampled from non-square scan lines (a fax, fine or standard mode): a hairline
   * rule broke into dashes or vanished at the machine's threshold.
   */
  readonly faxLines?: boolean;
  /**
   * A sharper copy of the same pixels (fax standard mode, square-pixels.ts) that number cells are
   * read from; grids, labels and prose stay on `data`. Every geometric step applies to both (withDigits).
   */
  readonly digits?: Raster;
}

/** `step` applied to a raster and to its sharper digit copy alike, so both keep one geometry. */
export function withDigits<R extends Raster>(src: R, step: (r: R) => Raster): Raster {
  const { digits, ...rest } = src;
  const out = step(src);
  return digits ? { ...out, digits: step({ ...rest, data: digits.data } as R) } : out;
}

/**
 * A two-level image of the same geometry: 1 = ink, 0 = background. Kept separate from
 * `Raster` so a binary image is never mistaken for gray pixels.
 */
export interface BinaryRaster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly dpi: number;
}

/** Points per inch of PDF user space. */
export const POINTS_PER_INCH = 72;

/** Pixel length at `dpi` → PDF points. */
export function pxToPt(px: number, dpi: number): number {
  return (px * POINTS_PER_INCH) / dpi;
}

/** PDF points → pixel length at `dpi`. */
export function ptToPx(pt: number, dpi: number): number {
  return (pt * dpi) / POINTS_PER_INCH;
}

/**
 * Points of a lattice built at `dpi` → whole pixels of `bin`, whose own dpi may differ (a photo's
 * rules are judged at its measured glyph scale, its pixels stay as declared).
 */
export function latticeToPixels(bin: BinaryRaster, dpi: number): (pt: number) => number {
  return (pt) => Math.round(ptToPx(pt, dpi) * (bin.dpi / dpi));
}

/** Share of ink pixels in a box of `bin` (the parts outside the image count as paper). */
export function inkShare(bin: BinaryRaster, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let ink = 0;
  const x0 = Math.max(0, box.x0);
  const x1 = Math.min(bin.width, box.x1);
  for (let y = Math.max(0, box.y0); y < Math.min(bin.height, box.y1); y++)
    for (let i = y * bin.width + x0, end = y * bin.width + x1; i < end; i++) ink += bin.data[i]!;
  return ink / Math.max(1, (box.x1 - box.x0) * (box.y1 - box.y0));
}

/** How much of a pixel's redness is added to its red channel (toGray): a seal's red (216, 38, 42) reaches paper white. */
const REDNESS_LIFT = 0.5;

/** Interleaved pixels → one gray byte per pixel (the red channel for colour; see below). */
export function toGray(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const n = width * height;
  if (channels === 1) return data.length === n ? data : data.subarray(0, n);
  const out = new Uint8Array(n);
  if (channels === 2) {
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = data[j]!;
    return out;
  }
  // Red ink (stamps, seals) is as bright as the paper in the red channel while black print stays
  // black, so the red channel is the gray image: stamps fade instead of hiding digits. Faded is not
  // gone: a seal's red is 20–50 levels under the paper there, so blank cells under it held "faint
  // ink" (doubtful blanks) and its ring beside a digit joined the digit's ink. Each pixel is lifted
  // by its redness (red over the lesser of green and blue), which black print and gray paper lack.
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const r = data[j]!;
    const rest = Math.min(data[j + 1]!, data[j + 2]!);
    out[i] = r > rest ? Math.min(255, r + Math.round((r - rest) * REDNESS_LIFT)) : r;
  }
  return out;
}

/** Rotates a raster clockwise by a multiple of 90°. */
export function rotateRightAngle(src: Raster, degreesClockwise: 0 | 90 | 180 | 270): Raster {
  const { width: w, height: h, data } = src;
  if (degreesClockwise === 0) return src;
  if (degreesClockwise === 180) {
    const out = new Uint8Array(w * h);
    for (let i = 0, j = w * h - 1; j >= 0; i++, j--) out[i] = data[j]!;
    return { width: w, height: h, data: out, dpi: src.dpi };
  }
  // 90° clockwise: output is h wide and w tall; out(x', y') = src(x = y', y = h - 1 - x').
  // 270° clockwise: out(x', y') = src(x = w - 1 - y', y = x').
  const out = new Uint8Array(w * h);
  const ow = h;
  if (degreesClockwise === 90) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      const ox = h - 1 - y;
      for (let x = 0; x < w; x++) out[x * ow + ox] = data[row + x]!;
    }
  } else {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) out[(w - 1 - x) * ow + y] = data[row + x]!;
    }
  }
  return { width: h, height: w, data: out, dpi: src.dpi };
}

/**
 * Swaps rows and columns, so vertical structure can be searched with the horizontal code. The
 * output starts zeroed and only non-zero pixels are written, found a word at a time (nextInk):
 * the images turned are binary pages, mostly paper.
 */
export function transpose(data: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const words = wordsOf(data);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const end = row + width;
    for (let i = nextInk(data, words, row, end); i < end; i = nextInk(data, words, i + 1, end)) {
      out[(i - row) * height + y] = data[i]!;
    }
  }
  return out;
}

/**
 * Bilinear sample of a gray page at (sx, sy), for 0 ≤ sx < width − 1 and 0 ≤ sy < height − 1 (the
 * caller checks, so the hot loops of deskew and warp keep one bounds test). Small enough to inline.
 */
export function sampleBilinear(data: Uint8Array, width: number, sx: number, sy: number): number {
  // `| 0` truncates like floor for the non-negative coordinates the caller lets through.
  const x0 = sx | 0;
  const y0 = sy | 0;
  const fx = sx - x0;
  const fy = sy - y0;
  const i = y0 * width + x0;
  const p = data[i]!;
  const q = data[i + width]!;
  const top = p + (data[i + 1]! - p) * fx;
  const bottom = q + (data[i + width + 1]! - q) * fx;
  return top + (bottom - top) * fy;
}
