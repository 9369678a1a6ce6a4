import { forEachInkRun } from './ink-runs.js';

/**
 * A stroke followed down the rows of a binary image: the long ink runs of successive rows that
 * touch, with the sums a line fit needs (positions along the run are x, rows are y).
 */
export interface RunBody {
  from: number;
  to: number;
  /** Extent of the runs in the last row that joined. */
  lastFrom: number;
  lastTo: number;
  firstRow: number;
  lastRow: number;
  /** Ink pixels, and the sums of x, y, x², x·y, y² over them. */
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  syy: number;
}

/**
 * How a run joins a body: `extent` when it overlaps anything the body spans (rules lying along the
 * axis), `staircase` when it touches the runs of the body's last row (rules tilted a few degrees).
 */
export type Follow = 'extent' | 'staircase';

/** A run joins a body whose last run is at most this many rows above (a one-row dropout in a broken line). */
const ROW_SLACK = 2;

/** Sum of x² for x = 0 … k. */
const sq = (k: number): number => (k * (k + 1) * (2 * k + 1)) / 6;

function addRun(open: RunBody[], y: number, a: number, b: number, gap: number, follow: Follow): void {
  const n = b - a + 1;
  const sx = (n * (a + b)) / 2;
  const sxx = sq(b) - (a > 0 ? sq(a - 1) : 0);
  for (const p of open) {
    const [lo, hi] = follow === 'extent' ? [p.from, p.to] : [p.lastFrom, p.lastTo];
    if (p.lastRow < y - ROW_SLACK || a > hi + gap || b < lo - gap) continue;
    if (p.lastRow === y) {
      p.lastFrom = Math.min(p.lastFrom, a);
      p.lastTo = Math.max(p.lastTo, b);
    } else {
      p.lastFrom = a;
      p.lastTo = b;
    }
    p.from = Math.min(p.from, a);
    p.to = Math.max(p.to, b);
    p.lastRow = y;
    p.n += n;
    p.sx += sx;
    p.sy += n * y;
    p.sxx += sxx;
    p.sxy += y * sx;
    p.syy += n * y * y;
    return;
  }
  open.push({
    from: a,
    to: b,
    lastFrom: a,
    lastTo: b,
    firstRow: y,
    lastRow: y,
    n,
    sx,
    sy: n * y,
    sxx,
    sxy: y * sx,
    syy: n * y * y,
  });
}

/**
 * The bodies of the ink runs at least `minRun` long (gaps up to `gap` bridged) along the rows of a
 * `w` × `h` image: the one row-to-row linking behind axis-parallel rule finding (find-raster-lines)
 * and tilted rule finding (find-tilted-lines). In the order they closed, then those still open.
 */
export function linkRuns(
  data: Uint8Array,
  w: number,
  h: number,
  minRun: number,
  gap: number,
  follow: Follow,
): RunBody[] {
  const open: RunBody[] = [];
  const done: RunBody[] = [];
  for (let y = 0; y < h; y++) {
    forEachInkRun(data, y * w, 1, w, gap, (from, to) => {
      if (to - from + 1 >= minRun) addRun(open, y, from, to, gap, follow);
    });
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.lastRow < y - ROW_SLACK) done.push(...open.splice(i, 1));
  }
  done.push(...open);
  return done;
}
