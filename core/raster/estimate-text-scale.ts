import { downscaleBinary } from './downscale.js';
import type { BinaryRaster } from './raster.js';

/**
 * Median height (inches) of the glyph-sized ink components of a page of Chinese text at its true
 * resolution. Measured on the dev scans (300 dpi, 10.5–12 pt text; CJK glyphs split into radicals,
 * so the median component is smaller than a glyph): 0.12–0.16 in; real scans at a known size ≈ 0.11.
 */
const COMPONENT_INCHES = 0.12;
/** Components are counted on a copy shrunk to about this resolution (cost ≈ 1/9 of 300 dpi). */
const ANALYSIS_DPI = 100;
/** At least this many glyph-like components before the page's own scale is trusted. */
const MIN_COMPONENTS = 40;
/** The declared resolution stands unless the text says otherwise by more than this factor. */
const TRUST_FACTOR = 1.6;

/**
 * The resolution the page's text size implies, when it disagrees with the declared one by more than
 * TRUST_FACTOR: phone photos carry placeholder densities (72 dpi, or none and 300 is assumed) while
 * the page may be 100 dpi or 400. Thresholds in inches (the shortest rule, a rule's thickness) then
 * follow the page's real scale. Returns `bin.dpi` when the text agrees, or is too scarce to tell.
 */
export function textScaleDpi(bin: BinaryRaster): number {
  const median = medianComponentPx(bin);
  if (median === null) return bin.dpi;
  const implied = median / COMPONENT_INCHES;
  const ratio = implied / bin.dpi;
  return ratio > TRUST_FACTOR || ratio < 1 / TRUST_FACTOR ? Math.round(implied) : bin.dpi;
}

/** Median height (pixels of `bin`) of its glyph-like ink components, or null when there are too few. */
export function medianComponentPx(bin: BinaryRaster): number | null {
  const f = Math.max(1, Math.round(bin.dpi / ANALYSIS_DPI));
  const small = downscaleBinary(bin, f);
  if (small.width < 8 || small.height < 8) return null;
  const heights = componentHeights(small.data, small.width, small.height);
  if (heights.length < MIN_COMPONENTS) return null;
  heights.sort((a, b) => a - b);
  return heights[heights.length >> 1]! * f;
}

/**
 * Heights of 8-connected ink components that look like glyphs or glyph parts (not specks, not
 * rules or frames: roughly as wide as tall), by union–find over runs.
 */
function componentHeights(data: Uint8Array, w: number, h: number): number[] {
  const label = new Int32Array(w * h).fill(-1);
  const parent: number[] = [];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (data[i] !== 1) continue;
      let l = -1;
      const near = [
        x > 0 ? i - 1 : -1,
        y > 0 && x > 0 ? i - w - 1 : -1,
        y > 0 ? i - w : -1,
        y > 0 && x + 1 < w ? i - w + 1 : -1,
      ];
      for (const j of near) {
        if (j < 0 || label[j]! < 0) continue;
        if (l < 0) l = label[j]!;
        else union(l, label[j]!);
      }
      if (l < 0) {
        l = parent.length;
        parent.push(l);
      }
      label[i] = l;
    }
  }
  const minY = new Map<number, number>();
  const maxY = new Map<number, number>();
  const minX = new Map<number, number>();
  const maxX = new Map<number, number>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l0 = label[y * w + x]!;
      if (l0 < 0) continue;
      const r = find(l0);
      if (!minY.has(r)) {
        minY.set(r, y);
        minX.set(r, x);
        maxX.set(r, x);
      }
      maxY.set(r, y);
      if (x < minX.get(r)!) minX.set(r, x);
      if (x > maxX.get(r)!) maxX.set(r, x);
    }
  }
  const out: number[] = [];
  for (const [r, y0] of minY) {
    const ch = maxY.get(r)! - y0 + 1;
    const cw = maxX.get(r)! - minX.get(r)! + 1;
    // specks and dots (≤ 2 px at ≈ 100 dpi) and long thin things (rules, frames, underlines) are not glyphs
    if (ch < 3 || cw < 2 || ch > 3 * cw || cw > 3 * ch) continue;
    out.push(ch);
  }
  return out;
}
