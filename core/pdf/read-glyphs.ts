import type { Box, Rotation } from '../model/index.js';
import { multiply, toMatrix, type Matrix } from './matrix.js';
import { VERTICAL_RUN, type Glyph } from './raw-page.js';

/** Share of the em box above the baseline (CJK and Latin fonts alike sit within ≈ 0.85 / 0.15). */
const ASCENT = 0.85;
const DESCENT = 0.15;

export interface TextItemLike {
  readonly str: string;
  readonly transform: readonly number[];
  readonly width: number;
  /** pdf.js gives vertical-writing runs (vertical fonts) a height of their whole advance. */
  readonly height?: number;
}

/** Reading direction of a run on the device page (y down): 0 → right, 90 → down, 180 → left, 270 → up. */
export function directionOf(m: Matrix): Rotation {
  const angle = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
  const snapped = (((Math.round(angle / 90) * 90) % 360) + 360) % 360;
  return snapped as Rotation;
}

/** Counts characters per reading direction, to detect pages or tables set sideways. */
export function countDirections(items: readonly TextItemLike[], base: Matrix): Record<Rotation, number> {
  const counts: Record<Rotation, number> = { 0: 0, 90: 0, 180: 0, 270: 0 };
  for (const item of items) {
    const n = item.str.trim().length;
    if (n === 0) continue;
    counts[directionOf(multiply(base, toMatrix(item.transform)))] += n;
  }
  return counts;
}

/**
 * Places pdf.js text items on the page seen through `base` (viewport transform: top-left origin, upright).
 * Whitespace-only items are dropped: spacing is recomputed from positions when lines are built.
 */
export function readGlyphs(items: readonly TextItemLike[], base: Matrix): Glyph[] {
  const glyphs: Glyph[] = [];
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const m = multiply(base, toMatrix(item.transform));
    const size = Math.hypot(m[2], m[3]);
    const adv = Math.hypot(m[0], m[1]);
    if (size === 0 || adv === 0) continue;
    // unit vectors: along the run, and "up" on the glyph (device y grows downwards, so up is +m[2..3]/size)
    const ux = m[0] / adv;
    const uy = m[1] / adv;
    const vx = m[2] / size;
    const vy = m[3] / size;
    const ox = m[4];
    const oy = m[5];
    const vertical = (item.height ?? 0) > VERTICAL_RUN * size && [...item.str.trim()].length > 1;
    // a vertical run advances down the glyph's own "up" axis; its length is the reported height
    const len = vertical ? 0 : item.width;
    const below = vertical ? (item.height ?? 0) - size * ASCENT : size * DESCENT;
    const across = vertical ? size : len;
    const xs = [
      ox - vx * below,
      ox + vx * size * ASCENT,
      ox + ux * across - vx * below,
      ox + ux * across + vx * size * ASCENT,
    ];
    const ys = [
      oy - vy * below,
      oy + vy * size * ASCENT,
      oy + uy * across - vy * below,
      oy + uy * across + vy * size * ASCENT,
    ];
    const box: Box = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    glyphs.push({ text: item.str, box, size, dir: directionOf(m) });
  }
  return glyphs;
}
