/**
 * What a raster table's cell frame holds before any reading: the crop clear of its rules, and whether
 * its writing is set vertically or its paper is shaded (a caption).
 */
import type { Box } from '../model/index.js';
import { ptToPx, type BinaryRaster, type Raster } from './raster.js';

/** Cell crops step inward at most this far (inches) looking for the inside of the rule (thick borders, ≈ 3 pt). */
const MAX_INSET_INCHES = 0.045;
/** A pixel row/column along a cell edge still belongs to the rule while this share of it is ink. */
const RULE_INK_SHARE = 0.12;
/** Extra clearance (px) past the last rule pixel: JPEG blur leaves a grey fringe tesseract reads as a stroke. */
const CLEARANCE_PX = 2;
/** Mean paper level below this (0–255, after contrast normalisation) marks a shaded caption cell. */
const SHADE_LEVEL = 225;
/** Writing at least this many times taller than wide is set vertically (one glyph per line)… */
const VERTICAL_ASPECT = 1.8;
/** …when it is at least two glyphs tall (inches; a 10-pt CJK glyph is ≈ 0.14 in)… */
const VERTICAL_MIN_HEIGHT_INCHES = 0.25;
/** …and a glyph wide, so a lone digit 1 or a thin stroke does not count (inches). */
const VERTICAL_MIN_WIDTH_INCHES = 0.08;
/** Rows/columns with fewer ink pixels than this are speckle, not writing, when bounding the ink. */
const SPECKLE_PX = 2;

/** The cell box in pixels, each side moved inward until the edge line is clear of the rule. */
export function cropInside(bin: BinaryRaster, box: Box): Box {
  const maxInset = Math.round(MAX_INSET_INCHES * bin.dpi);
  let x0 = Math.round(ptToPx(box.x0, bin.dpi));
  let y0 = Math.round(ptToPx(box.y0, bin.dpi));
  let x1 = Math.round(ptToPx(box.x1, bin.dpi));
  let y1 = Math.round(ptToPx(box.y1, bin.dpi));
  // Probe the rule back from a little outside the anchor: the anchor is the rule's centre line.
  const top = inset(bin, 'row', y0 - 1, +1, x0, x1, maxInset);
  const bottom = inset(bin, 'row', y1 + 1, -1, x0, x1, maxInset);
  const left = inset(bin, 'col', x0 - 1, +1, top, bottom, maxInset);
  const right = inset(bin, 'col', x1 + 1, -1, top, bottom, maxInset);
  x0 = left + CLEARANCE_PX;
  x1 = right - CLEARANCE_PX + 1;
  y0 = top + CLEARANCE_PX;
  y1 = bottom - CLEARANCE_PX + 1;
  if (x1 <= x0) [x0, x1] = [Math.floor((x0 + x1) / 2), Math.floor((x0 + x1) / 2) + 1];
  if (y1 <= y0) [y0, y1] = [Math.floor((y0 + y1) / 2), Math.floor((y0 + y1) / 2) + 1];
  return { x0, y0, x1, y1 };
}

/**
 * Steps from `start` in direction `dir` (rows or columns) while the line is rule ink; returns the
 * first clear line. The span checked is the middle 80 % of the edge, away from crossing rules.
 */
function inset(
  bin: BinaryRaster,
  kind: 'row' | 'col',
  start: number,
  dir: 1 | -1,
  a0: number,
  a1: number,
  maxInset: number,
): number {
  const limit = kind === 'row' ? bin.height : bin.width;
  const trim = Math.floor((a1 - a0) * 0.1);
  const s0 = Math.max(0, a0 + trim);
  const s1 = Math.min(kind === 'row' ? bin.width : bin.height, a1 - trim);
  const span = Math.max(1, s1 - s0);
  let p = Math.max(0, Math.min(limit - 1, start));
  let sawRule = false;
  for (let step = 0; step <= maxInset + 2; step++, p += dir) {
    if (p < 0 || p >= limit) break;
    let ink = 0;
    if (kind === 'row') for (let x = s0, i = p * bin.width + s0; x < s1; x++, i++) ink += bin.data[i]!;
    else for (let y = s0, i = s0 * bin.width + p; y < s1; y++, i += bin.width) ink += bin.data[i]!;
    const onRule = ink / span >= RULE_INK_SHARE;
    if (onRule) sawRule = true;
    else if (sawRule || step >= 3) return p;
  }
  // No clear line within reach (text touching the rule): fall back to the maximum inset.
  return Math.max(0, Math.min(limit - 1, start + dir * maxInset));
}

/** The writing in a crop is one column of glyphs: taller than wide by VERTICAL_ASPECT, with speckle trimmed. */
export function isVerticalText(bin: BinaryRaster, crop: Box): boolean {
  const w = crop.x1 - crop.x0;
  const h = crop.y1 - crop.y0;
  const cols = new Uint32Array(w);
  const rows = new Uint32Array(h);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = (crop.y0 + y) * bin.width + crop.x0; x < w; x++, i++) {
      const v = bin.data[i]!;
      cols[x]! += v;
      rows[y]! += v;
    }
  }
  const extent = (p: Uint32Array): number => {
    const first = p.findIndex((v) => v >= SPECKLE_PX);
    if (first < 0) return 0;
    let last = p.length - 1;
    while (p[last]! < SPECKLE_PX) last--;
    return last - first + 1;
  };
  const inkW = extent(cols);
  const inkH = extent(rows);
  return (
    inkW >= VERTICAL_MIN_WIDTH_INCHES * bin.dpi &&
    inkH >= VERTICAL_MIN_HEIGHT_INCHES * bin.dpi &&
    inkH / inkW >= VERTICAL_ASPECT
  );
}

/** A cell whose non-ink pixels are clearly grey is a shaded caption. */
export function isShaded(raster: Raster, bin: BinaryRaster, crop: Box): boolean {
  let sum = 0;
  let n = 0;
  for (let y = crop.y0; y < crop.y1; y += 2) {
    for (let x = crop.x0, i = y * raster.width + crop.x0; x < crop.x1; x += 2, i += 2) {
      if (bin.data[i] === 0) {
        sum += raster.data[i]!;
        n++;
      }
    }
  }
  return n > 0 && sum / n < SHADE_LEVEL;
}
