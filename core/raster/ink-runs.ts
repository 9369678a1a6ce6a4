/**
 * Calls `visit(from, to)` (positions along the line, `to` inclusive) for each run of ink (non-zero
 * pixels) along a line of `len` pixels at `first`, `first + step`, …, gaps of up to `gap` paper
 * pixels bridged. The one scan behind rule finding, rule masks and rule clearing in cell crops:
 * rows are `step` 1, columns `step` = width. With `inkBelow` > 0 the line is gray and ink is any
 * pixel darker than it (no page-sized mask needed for one scan over a gray page).
 */
export function forEachInkRun(
  data: Uint8Array,
  first: number,
  step: number,
  len: number,
  gap: number,
  visit: (from: number, to: number) => void,
  inkBelow = 0,
): void {
  let start = -1;
  let last = -1;
  for (let p = 0, i = first; p <= len; p++, i += step) {
    if (p < len && (inkBelow > 0 ? data[i]! < inkBelow : data[i] !== 0)) {
      if (start < 0) start = p;
      last = p;
    } else if (start >= 0 && (p - last > gap || p === len)) {
      visit(start, last);
      start = -1;
    }
  }
}

/** Length of the longest ink run along the line (see forEachInkRun). */
export function longestInkRun(data: Uint8Array, first: number, step: number, len: number, gap: number): number {
  let best = 0;
  forEachInkRun(data, first, step, len, gap, (from, to) => {
    best = Math.max(best, to - from + 1);
  });
  return best;
}
