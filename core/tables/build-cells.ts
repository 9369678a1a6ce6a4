import type { Segment } from '../model/index.js';
import { findRoot } from './find-root.js';
import type { CellFrame, Grid } from './grid.js';

/** A rule within this distance (points) of an anchor draws that grid line. */
const EDGE_TOL = 2.5;

/** True when some rule on `anchor` covers the point `mid` along its length. */
export function hasEdge(lines: readonly Segment[], anchor: number, mid: number): boolean {
  for (const l of lines) {
    if (Math.abs(l.at - anchor) <= EDGE_TOL && l.from - EDGE_TOL <= mid && l.to + EDGE_TOL >= mid) return true;
  }
  return false;
}

/**
 * Cells of a grid with row and column spans (camelot's spans from missing edges): neighbouring grid positions
 * whose shared edge is not drawn belong to one cell. Cells come out in row-major order of their top-left position.
 */
export function buildCells(grid: Grid): CellFrame[] {
  const rows = grid.rowAnchors.length - 1;
  const cols = grid.colAnchors.length - 1;
  const at = (r: number, c: number): number => r * cols + c;
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const join = (a: number, b: number): void => {
    const ra = findRoot(parent, a);
    const rb = findRoot(parent, b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const y = grid.rowAnchors;
  const x = grid.colAnchors;
  for (let r = 0; r < rows; r++) {
    const midY = ((y[r] as number) + (y[r + 1] as number)) / 2;
    for (let c = 0; c + 1 < cols; c++) {
      if (!hasEdge(grid.vLines, x[c + 1] as number, midY)) join(at(r, c), at(r, c + 1));
    }
  }
  for (let c = 0; c < cols; c++) {
    const midX = ((x[c] as number) + (x[c + 1] as number)) / 2;
    for (let r = 0; r + 1 < rows; r++) {
      if (!hasEdge(grid.hLines, y[r + 1] as number, midX)) join(at(r, c), at(r + 1, c));
    }
  }
  const spans = new Map<number, { r0: number; c0: number; r1: number; c1: number }>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const root = findRoot(parent, at(r, c));
      const s = spans.get(root);
      if (!s) spans.set(root, { r0: r, c0: c, r1: r, c1: c });
      else {
        s.r0 = Math.min(s.r0, r);
        s.c0 = Math.min(s.c0, c);
        s.r1 = Math.max(s.r1, r);
        s.c1 = Math.max(s.c1, c);
      }
    }
  }
  const frames: CellFrame[] = [...spans.values()].map((s) => ({
    row: s.r0,
    col: s.c0,
    rowSpan: s.r1 - s.r0 + 1,
    colSpan: s.c1 - s.c0 + 1,
    box: { x0: x[s.c0] as number, y0: y[s.r0] as number, x1: x[s.c1 + 1] as number, y1: y[s.r1 + 1] as number },
  }));
  return frames.sort((a, b) => a.row - b.row || a.col - b.col);
}
