import type { Raster } from './raster.js';

/**
 * Uneven light on a photographed page: light falling off across the sheet and a soft shadow leave
 * the paper of one side 40–60 levels darker than the other. A cell crop spanning the change is read
 * by one threshold (find-ink's Otsu), which then splits paper from paper and calls the cell blank
 * (a photographed 表二 cell holding 349 read null), and the caption-shade test takes shadowed paper
 * for a grey caption. The paper level is estimated per block (a bright percentile: paper outnumbers
 * ink in nearly every block of a report page), smoothed, and every pixel is divided by it.
 * Flat-bed scans are lit evenly: their paper varies by a few levels and they are left untouched.
 */

/** Blocks of this side (inches) estimate the paper level: several text lines, small against a shadow's softness. */
const BLOCK_INCHES = 0.25;
/** The paper level of a block: this share of its pixels are darker (ink covers well under a fifth of a block). */
const PAPER_PERCENTILE = 0.8;
/** Paper levels spread less than this (gray levels, 5th to 95th percentile of the blocks) are even light. */
const MIN_SPREAD = 24;
/** Blocks this dark are the desk around the sheet or a solid bar, not paper: they take their neighbours' level. */
const MIN_PAPER = 60;

/** The page with its paper brought to one level, or null when the light is even already. */
export function flattenShading(src: Raster): Raster | null {
  const { width: w, height: h, data } = src;
  const side = Math.max(8, Math.round(BLOCK_INCHES * src.dpi));
  const bw = Math.ceil(w / side);
  const bh = Math.ceil(h / side);
  const paper = new Float32Array(bw * bh);
  const hist = new Uint32Array(256);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0);
      const x0 = bx * side;
      const y0 = by * side;
      const x1 = Math.min(w, x0 + side);
      const y1 = Math.min(h, y0 + side);
      for (let y = y0; y < y1; y += 2) for (let x = x0, i = y * w + x0; x < x1; x += 2, i += 2) hist[data[i]!]!++;
      const n = Math.ceil(((x1 - x0) / 2) * ((y1 - y0) / 2));
      let seen = 0;
      let g = 0;
      for (; g < 255 && seen + hist[g]! < PAPER_PERCENTILE * n; g++) seen += hist[g]!;
      paper[by * bw + bx] = g;
    }
  const sorted = [...paper].filter((v) => v >= MIN_PAPER).sort((a, b) => a - b);
  if (sorted.length < 4) return null;
  const top = sorted[Math.floor(0.95 * (sorted.length - 1))]!;
  if (top - sorted[Math.floor(0.05 * (sorted.length - 1))]! < MIN_SPREAD) return null;
  const level = smooth(fillDark(paper, bw, bh), bw, bh);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    // Bilinear between block centres.
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / side - 0.5));
    const by0 = Math.floor(fy);
    const by1 = Math.min(bh - 1, by0 + 1);
    const ty = fy - by0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / side - 0.5));
      const bx0 = Math.floor(fx);
      const bx1 = Math.min(bw - 1, bx0 + 1);
      const tx = fx - bx0;
      const p =
        (level[by0 * bw + bx0]! * (1 - tx) + level[by0 * bw + bx1]! * tx) * (1 - ty) +
        (level[by1 * bw + bx0]! * (1 - tx) + level[by1 * bw + bx1]! * tx) * ty;
      const i = y * w + x;
      out[i] = Math.min(255, Math.round((data[i]! * top) / Math.max(1, p)));
    }
  }
  return { ...src, data: out };
}

/** Dark blocks (desk, solid ink) take the mean of their paper neighbours, spreading outward until all have one. */
function fillDark(paper: Float32Array, bw: number, bh: number): Float32Array {
  const out = Float32Array.from(paper);
  const ok = Uint8Array.from(paper, (v) => (v >= MIN_PAPER ? 1 : 0));
  for (let changed = true; changed;) {
    changed = false;
    const next = Uint8Array.from(ok);
    for (let y = 0; y < bh; y++)
      for (let x = 0; x < bw; x++) {
        if (ok[y * bw + x]) continue;
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= bw || yy >= bh || !ok[yy * bw + xx]) continue;
            sum += out[yy * bw + xx]!;
            n++;
          }
        if (n > 0) {
          out[y * bw + x] = sum / n;
          next[y * bw + x] = 1;
          changed = true;
        }
      }
    ok.set(next);
  }
  return out;
}

/** 3 × 3 median of the block levels: a block filled by a bold caption or a thick bar does not dent the paper. */
function smooth(level: Float32Array, bw: number, bh: number): Float32Array {
  const out = new Float32Array(level.length);
  const around: number[] = [];
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      around.length = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = Math.min(bw - 1, Math.max(0, x + dx));
          const yy = Math.min(bh - 1, Math.max(0, y + dy));
          around.push(level[yy * bw + xx]!);
        }
      around.sort((a, b) => a - b);
      out[y * bw + x] = around[4]!;
    }
  return out;
}
