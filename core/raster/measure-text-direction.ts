import { ruleMask } from './estimate-skew.js';
import type { BinaryRaster } from './raster.js';

/** Ink gaps up to this (inches) are smeared shut: the space between glyphs of a line, not between lines. */
const SMEAR_GAP_INCHES = 0.05;

/**
 * How strongly the text runs horizontally: the ink-weighted mean length of text runs smeared along
 * rows, divided by the same along columns (ruling lines excluded). Smearing fuses the glyphs of a
 * text line into one long run along the reading direction, while across it runs stay one glyph tall.
 * > 1: text lines are horizontal (page upright or upside down); < 1: the page lies sideways.
 */
export function measureTextDirection(bin: BinaryRaster): number {
  const rules = ruleMask(bin);
  const gap = Math.max(1, Math.round(SMEAR_GAP_INCHES * bin.dpi));
  const rows = smearedRunWeight(bin.data, rules, bin.width, bin.height, 1, bin.width, gap);
  const cols = smearedRunWeight(bin.data, rules, bin.height, bin.width, bin.width, 1, gap);
  return cols > 0 ? rows / cols : 1;
}

/** Σ len² / Σ len of text-ink runs along lines of `len` pixels, gaps ≤ `gap` bridged. */
function smearedRunWeight(data: Uint8Array, rules: Uint8Array, len: number, lines: number, step: number, lineStep: number, gap: number): number {
  let sumSq = 0;
  let sum = 0;
  for (let l = 0; l < lines; l++) {
    let start = -1;
    let last = -1;
    for (let p = 0; p <= len; p++) {
      const i = l * lineStep + p * step;
      const ink = p < len && data[i] === 1 && rules[i] === 0;
      if (ink) {
        if (start < 0) start = p;
        last = p;
      } else if (start >= 0 && (p - last > gap || p === len)) {
        const run = last - start + 1;
        sumSq += run * run;
        sum += run;
        start = -1;
      }
    }
  }
  return sum > 0 ? sumSq / sum : 0;
}
