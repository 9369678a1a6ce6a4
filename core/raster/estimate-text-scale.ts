import { downscaleBinary } from './downscale.js';
import { inkComponents } from './ink-components.js';
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

/** Heights of ink components that look like glyphs or glyph parts (not specks, not rules or frames: roughly as wide as tall). */
function componentHeights(data: Uint8Array, w: number, h: number): number[] {
  const out: number[] = [];
  for (const c of inkComponents(w, h, (i) => data[i] === 1)) {
    const ch = c.y1 - c.y0;
    const cw = c.x1 - c.x0;
    // specks and dots (≤ 2 px at ≈ 100 dpi) and long thin things (rules, frames, underlines) are not glyphs
    if (ch < 3 || cw < 2 || ch > 3 * cw || cw > 3 * ch) continue;
    out.push(ch);
  }
  return out;
}
