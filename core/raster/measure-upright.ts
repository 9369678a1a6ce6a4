import { ruleMask } from './estimate-skew.js';
import type { BinaryRaster } from './raster.js';

/** Rows with less text ink than this share of the page width are gaps between text lines. */
const LINE_GAP_SHARE = 0.002;
/** Text lines shorter than this (pixels at analysis resolution) carry no usable top/bottom asymmetry. */
const MIN_LINE_PX = 6;

/**
 * Cheap evidence for "right way up" without OCR: the ink of text lines below their middle divided by
 * the ink above it, on a deskewed candidate with text lines horizontal. Measured, not assumed: the
 * 138 upright dev scan pages read 0.57–1.10 (Chinese glyphs carry more strokes in their upper half)
 * except one short last page at 1.37; the sideways real scan read 1.33 upside down and 0.75 upright.
 * Weak evidence: prepareScan uses it only for 90° vs 270°; OCR confidence (UprightScorer) is better.
 */
export function measureUpright(bin: BinaryRaster): number {
  const { width: w, height: h, data } = bin;
  const rules = ruleMask(bin);
  const rowInk = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    let n = 0;
    for (let i = y * w, end = i + w; i < end; i++) n += data[i]! & (rules[i]! ^ 1);
    rowInk[y] = n;
  }
  const gap = Math.max(1, w * LINE_GAP_SHARE);
  let top = 0;
  let bottom = 0;
  for (let y = 0; y < h; ) {
    if (rowInk[y]! <= gap) {
      y++;
      continue;
    }
    let end = y;
    while (end < h && rowInk[end]! > gap) end++;
    if (end - y >= MIN_LINE_PX) {
      const mid = (y + end) / 2;
      for (let r = y; r < end; r++) {
        if (r + 0.5 < mid) top += rowInk[r]!;
        else if (r + 0.5 > mid) bottom += rowInk[r]!;
      }
    }
    y = end;
  }
  return top > 0 ? bottom / top : 1;
}
