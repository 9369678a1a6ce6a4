import type { Box, Rotation, Segment } from '../model/index.js';
import type { FilledRect, Glyph } from '../pdf/raw-page.js';

/** A table counts as sideways when more than this share of its characters run up or down the page. */
const SIDEWAYS_SHARE = 0.6;

/** A quarter turn of a region so that sideways text reads left to right, and back. */
export interface Turn {
  readonly box: (b: Box) => Box;
  readonly segment: (s: Segment) => Segment;
  readonly glyph: (g: Glyph) => Glyph;
  readonly fill: (f: FilledRect) => FilledRect;
  /** Maps a box of the turned frame back onto the page. */
  readonly unbox: (b: Box) => Box;
}

function ordered(x0: number, y0: number, x1: number, y1: number): Box {
  return { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

/** The direction most characters inside `region` run in, when it is up (270) or down (90) the page. */
export function sidewaysDirection(glyphs: readonly Glyph[], region: Box): Rotation | null {
  const counts = { 0: 0, 90: 0, 180: 0, 270: 0 };
  let total = 0;
  for (const g of glyphs) {
    const cx = (g.box.x0 + g.box.x1) / 2;
    const cy = (g.box.y0 + g.box.y1) / 2;
    if (cx < region.x0 || cx > region.x1 || cy < region.y0 || cy > region.y1) continue;
    const n = [...g.text].length;
    counts[g.dir] += n;
    total += n;
  }
  if (total === 0) return null;
  if (counts[270] / total > SIDEWAYS_SHARE) return 270;
  if (counts[90] / total > SIDEWAYS_SHARE) return 90;
  return null;
}

/**
 * The quarter turn about `region` that makes text running in `dir` read left to right
 * (text running up, 270, is turned clockwise; text running down, 90, anticlockwise).
 */
export function turnFor(region: Box, dir: 90 | 270): Turn {
  // clockwise: (x, y) → (y1 − y, x − x0); anticlockwise: (x, y) → (y − y0, x1 − x)
  const cw = dir === 270;
  const box = (b: Box): Box =>
    cw
      ? ordered(region.y1 - b.y0, b.x0 - region.x0, region.y1 - b.y1, b.x1 - region.x0)
      : ordered(b.y0 - region.y0, region.x1 - b.x0, b.y1 - region.y0, region.x1 - b.x1);
  const unbox = (b: Box): Box =>
    cw
      ? ordered(region.x0 + b.y0, region.y1 - b.x0, region.x0 + b.y1, region.y1 - b.x1)
      : ordered(region.x1 - b.y0, region.y0 + b.x0, region.x1 - b.y1, region.y0 + b.x1);
  const segment = (s: Segment): Segment => {
    const b = box(
      s.axis === 'h' ? { x0: s.from, y0: s.at, x1: s.to, y1: s.at } : { x0: s.at, y0: s.from, x1: s.at, y1: s.to },
    );
    return s.axis === 'h'
      ? { axis: 'v', at: b.x0, from: b.y0, to: b.y1 }
      : { axis: 'h', at: b.y0, from: b.x0, to: b.x1 };
  };
  const glyph = (g: Glyph): Glyph => ({ ...g, box: box(g.box), dir: ((g.dir + (cw ? 90 : 270)) % 360) as Rotation });
  const fill = (f: FilledRect): FilledRect => ({ ...f, box: box(f.box) });
  return { box, segment, glyph, fill, unbox };
}
