import { forEachInkRun } from '../raster/ink-runs.js';
import { components, type Component, type InkReport } from './find-ink.js';

/** A stroke of an oval is at least this share of the row's tallest glyph tall. */
const TALL = 0.6;
/** An arc's outer edge recedes at both ends by at least this share of its height (a pixel at least). */
const BULGE = 0.04;
/** The two arcs of one 0 stand at most this share of the height apart, and span this share of it together. */
const MAX_GAP = 0.6;
const MIN_SPAN = 0.3;
const MAX_SPAN = 0.85;
/** The arcs overlap for at least this share of the shorter one's height. */
const OVERLAP = 0.7;
/** A 0's counter is at least this share of the glyph's height tall, centred on it within this share. */
const RING_HOLE = 0.5;
const RING_CENTRE = 0.15;
/** An open end: the top (or bottom) band of this share of the height holds two separate strokes in every row. */
const OPEN_BAND = 0.2;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** The outermost x (leftmost, or rightmost when `right`) of the component's pixels in rows [from, to) of its box. */
function edge(c: Component, w: number, from: number, to: number, right: boolean): number {
  let x = right ? -Infinity : Infinity;
  for (const p of c.pixels) {
    const y = Math.floor(p / w) - c.y0;
    if (y >= from && y < to) x = right ? Math.max(x, p % w) : Math.min(x, p % w);
  }
  return x;
}

/**
 * -1 for an arc bowing left "(", 1 for one bowing right ")", 0 for anything else: the outer edge
 * recedes at both ends of an arc, while a 1's stem runs straight or widens into a foot and a flag.
 */
function bow(c: Component, w: number): -1 | 0 | 1 {
  const h = c.y1 - c.y0;
  const band = Math.max(1, Math.round(h * 0.12));
  const mid: [number, number] = [Math.round(h * 0.35), Math.round(h * 0.65) + 1];
  const d = Math.max(1, h * BULGE);
  const recedes = (right: boolean): boolean => {
    const m = edge(c, w, mid[0], mid[1], right);
    const s = right ? -1 : 1;
    return (edge(c, w, 0, band, right) - m) * s >= d && (edge(c, w, h - band, h, right) - m) * s >= d;
  };
  if (recedes(false) && !recedes(true)) return -1;
  if (recedes(true) && !recedes(false)) return 1;
  return 0;
}

/** The extreme pixel of a component on the top (or bottom) row it reaches, leftmost or rightmost. */
function end(
  c: Component,
  w: number,
  bottom: boolean,
  rightmost: boolean,
  xFrom = -Infinity,
  xTo = Infinity,
): Point | null {
  let best: Point | null = null;
  for (const p of c.pixels) {
    const x = p % w;
    const y = Math.floor(p / w);
    if (x < xFrom || x >= xTo) continue;
    const better =
      best === null || (bottom ? y > best.y : y < best.y) || (y === best.y && (rightmost ? x > best.x : x < best.x));
    if (better) best = { x, y };
  }
  return best;
}

/**
 * Two separate strokes in the top (or bottom) band of a glyph, never joined there: an oval whose end
 * was lost. The band's outermost row may hold one tip only (the arcs end at different heights).
 */
function openEnd(mask: Uint8Array, w: number, c: Component, bottom: boolean): boolean {
  const h = c.y1 - c.y0;
  const band = Math.max(2, Math.round(h * OPEN_BAND));
  // The component alone: a neighbouring glyph's ink in its box is no stroke of it.
  const own = new Uint8Array(mask.length);
  for (const p of c.pixels) own[p] = 1;
  let two = 0;
  for (let i = 0; i < band; i++) {
    const y = bottom ? c.y1 - 1 - i : c.y0 + i;
    let runs = 0;
    forEachInkRun(own, y * w + c.x0, 1, c.x1 - c.x0, 0, () => runs++);
    if (runs > 2 || (runs === 1 && i > 0)) return false;
    if (runs === 2) two++;
  }
  return two >= band - 1;
}

/** Draws a line `thick` pixels wide between two points of the mask. */
function line(mask: Uint8Array, w: number, h: number, a: Point, b: Point, thick: number): void {
  const steps = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y), 1);
  const r = Math.floor(thick / 2);
  for (let i = 0; i <= steps; i++) {
    const x = Math.round(a.x + ((b.x - a.x) * i) / steps);
    const y = Math.round(a.y + ((b.y - a.y) * i) / steps);
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < w && ny < h) mask[ny * w + nx] = 1;
      }
  }
}

/** Typical stroke width: the median length of the horizontal ink runs (the upright strokes'). */
function strokeWidth(mask: Uint8Array, w: number, h: number): number {
  const runs: number[] = [];
  for (let y = 0; y < h; y++) forEachInkRun(mask, y * w, 1, w, 0, (from, to) => runs.push(to - from + 1));
  runs.sort((a, b) => a - b);
  return Math.max(2, runs[runs.length >> 1] ?? 2);
}

/**
 * A cell's ink with its broken ovals closed, or null when it has none. A fax (1/98 or 1/196 inch a
 * line) and a thin serif face lose the hairline top and bottom of a 0: what is left reads as `()`,
 * `U` or `人` and the digits recogniser reads nothing. Two arcs facing each other a digit apart are
 * joined at their ends, and a stroke whose top (or bottom) band holds two separate strokes is closed
 * there. Only for a one-row cell; the result is a reading aid, never evidence of its own: a number
 * read from it stays doubtful until a sum checks it.
 */
export function mendOvals(ink: InkReport): Uint8Array | null {
  if (!ink.box || ink.rows !== 1) return null;
  const w = ink.crop.x1 - ink.crop.x0;
  const h = ink.crop.y1 - ink.crop.y0;
  const parts = components(ink.mask, w, h);
  const tallest = Math.max(0, ...parts.map((c) => c.y1 - c.y0));
  const tall = parts.filter((c) => c.y1 - c.y0 >= tallest * TALL).sort((a, b) => a.x0 - b.x0);
  const mask = new Uint8Array(ink.mask);
  // The lost ends are hairlines: half the upright strokes' width.
  const thick = Math.max(2, Math.round(strokeWidth(ink.mask, w, h) / 2));
  let mended = false;
  for (let i = 0; i < tall.length; i++) {
    const a = tall[i]!;
    const b = tall[i + 1];
    const ha = a.y1 - a.y0;
    if (b && bow(a, w) === -1 && bow(b, w) === 1) {
      const hb = b.y1 - b.y0;
      const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      const size = Math.max(ha, hb);
      const span = b.x1 - a.x0;
      if (
        overlap >= OVERLAP * Math.min(ha, hb) &&
        b.x0 - a.x1 <= MAX_GAP * size &&
        span >= MIN_SPAN * size &&
        span <= MAX_SPAN * size
      ) {
        for (const bottom of [false, true]) {
          const p = end(a, w, bottom, true);
          const q = end(b, w, bottom, false);
          if (p && q) line(mask, w, h, p, q, thick);
        }
        mended = true;
        i++;
        continue;
      }
    }
    const width = a.x1 - a.x0;
    if (width < MIN_SPAN * ha || width > MAX_SPAN * ha) continue;
    for (const bottom of [false, true]) {
      if (!openEnd(ink.mask, w, a, bottom)) continue;
      const mid = (a.x0 + a.x1) / 2;
      const p = end(a, w, bottom, true, a.x0, mid);
      const q = end(a, w, bottom, false, mid, a.x1);
      if (p && q) {
        line(mask, w, h, p, q, thick);
        mended = true;
      }
    }
  }
  return mended ? mask : null;
}

/**
 * True when the ink is one glyph shaped as a 0: a single counter (paper enclosed by ink) as tall as
 * most of the glyph and centred on it. A 6, 9 or 4 encloses a smaller, off-centre counter; an 8 two.
 */
export function isRing(mask: Uint8Array, w: number, h: number): boolean {
  const ink = components(mask, w, h);
  const tallest = Math.max(0, ...ink.map((c) => c.y1 - c.y0));
  const glyphs = ink.filter((c) => c.y1 - c.y0 >= tallest * TALL);
  if (glyphs.length !== 1) return false;
  const g = glyphs[0]!;
  const gh = g.y1 - g.y0;
  const width = g.x1 - g.x0;
  if (width < MIN_SPAN * gh || width > MAX_SPAN * gh) return false;
  const paper = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) paper[i] = mask[i] === 1 ? 0 : 1;
  // Paper components inside the glyph's box that touch neither the box's sides nor the crop's: counters.
  const holes = components(paper, w, h, true).filter(
    (c) => !c.border && c.x0 > g.x0 && c.y0 > g.y0 && c.x1 < g.x1 && c.y1 < g.y1 && c.area > 1,
  );
  if (holes.length !== 1) return false;
  const hole = holes[0]!;
  const centre = (hole.y0 + hole.y1) / 2 - (g.y0 + g.y1) / 2;
  return hole.y1 - hole.y0 >= RING_HOLE * gh && Math.abs(centre) <= RING_CENTRE * gh;
}
