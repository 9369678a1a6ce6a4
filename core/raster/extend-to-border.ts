import type { Box, Segment } from '../model/index.js';
import { EDGE_TOL as EDGE_TOL_PT } from '../tables/build-cells.js';
import { ANCHOR_TOL as ANCHOR_TOL_PT } from '../tables/find-grids.js';
import type { Grid } from '../tables/grid.js';
/** The border must run along the lattice's rows to within this (points) at the top and bottom. */
const SPAN_TOL_PT = 4;
/** It lies at most this share of the lattice's width outside it: one column, not the next table. */
const MAX_REACH_SHARE = 0.25;

/**
 * On a standard-mode fax page (98 lines an inch) most row rules are lost, and the table's left column
 * can end up with none reaching its border: the lattice starts at the first inner column rule, and
 * that column's cells (表三's row labels, 表四's first 行政复议 column) are never read. When a vertical
 * rule just outside the lattice runs the lattice's whole height, it is the table's border and the
 * lattice is widened to it by one column (on either side). Its row rules are put back later by
 * inferLostRules from the gaps between text rows, as for the rest of the table.
 */
export function extendToBorder(grid: Grid, segments: readonly Segment[]): Grid {
  const { box } = grid;
  const reach = MAX_REACH_SHARE * (box.x1 - box.x0);
  const borders = segments.filter(
    (s) =>
      s.axis === 'v' &&
      s.from <= box.y0 + SPAN_TOL_PT &&
      s.to >= box.y1 - SPAN_TOL_PT &&
      ((s.at < box.x0 - EDGE_TOL_PT && s.at >= box.x0 - reach) ||
        (s.at > box.x1 + EDGE_TOL_PT && s.at <= box.x1 + reach)),
  );
  const nearest = (side: Segment[], edge: number): Segment | undefined =>
    side.sort((a, b) => Math.abs(a.at - edge) - Math.abs(b.at - edge))[0];
  const left = nearest(
    borders.filter((s) => s.at < box.x0),
    box.x0,
  );
  const right = nearest(
    borders.filter((s) => s.at > box.x1),
    box.x1,
  );
  if (!left && !right) return grid;
  const clip = clipTo(box);
  const colAnchors = [...(left ? [left.at] : []), ...grid.colAnchors, ...(right ? [right.at] : [])];
  return {
    ...grid,
    box: { ...box, x0: colAnchors[0]!, x1: colAnchors[colAnchors.length - 1]! },
    colAnchors,
    vLines: [...grid.vLines, ...[left, right].filter((s): s is Segment => s !== undefined).map(clip)],
  };
}

/** Columns left of a page-break lattice run at least this share of its height from its top. */
const MIN_CONTINUED_SHARE = 0.5;

/**
 * A table continued from the page before (its top an open edge, no rule there) on a standard-mode fax
 * page: its row rules are lost or left in pieces, and the columns on its left (洪泽区 2023's 表三 on
 * page 4: the group, sub-group and label columns) touched none of what was found of them, so they
 * made no lattice and the rows had no labels. Vertical rules outside the lattice that start at its
 * open top (where the page cut them all) and run at least half its height are its columns.
 */
export function extendAtOpenTop(grid: Grid, segments: readonly Segment[]): Grid {
  const { box } = grid;
  if (!grid.openTop) return grid;
  const height = box.y1 - box.y0;
  const outside = segments.filter(
    (s) =>
      s.axis === 'v' &&
      Math.abs(s.from - box.y0) <= SPAN_TOL_PT &&
      s.to - s.from >= MIN_CONTINUED_SHARE * height &&
      (s.at < box.x0 - ANCHOR_TOL_PT || s.at > box.x1 + ANCHOR_TOL_PT),
  );
  if (outside.length === 0) return grid;
  const colAnchors = [...grid.colAnchors];
  for (const s of outside) if (!colAnchors.some((x) => Math.abs(x - s.at) <= ANCHOR_TOL_PT)) colAnchors.push(s.at);
  colAnchors.sort((a, b) => a - b);
  const wide = { ...box, x0: colAnchors[0]!, x1: colAnchors[colAnchors.length - 1]! };
  return { ...grid, box: wide, colAnchors, vLines: [...grid.vLines, ...outside.map(clipTo(box))] };
}

/** A column rule adopted by a lattice runs at least this far (points) inside it: no glyph stroke. */
const MIN_ADOPTED_PT = 36;

/**
 * Vertical rules inside a lattice that touch none of its row rules: on a standard-mode fax page a
 * band whose row rules were all lost (a 表三 cut by a page break kept only its top border) holds
 * column rules that start at a lost rule. They become column lines of the lattice, drawn only where
 * they run, so cells keep their spans above and below (a group column starting lower down).
 */
export function adoptColumnRules(grid: Grid, segments: readonly Segment[]): Grid {
  const { box } = grid;
  const adopted = segments
    .filter(
      (s) =>
        s.axis === 'v' &&
        s.at > box.x0 + ANCHOR_TOL_PT &&
        s.at < box.x1 - ANCHOR_TOL_PT &&
        Math.min(s.to, box.y1) - Math.max(s.from, box.y0) >= MIN_ADOPTED_PT &&
        !grid.colAnchors.some((x) => Math.abs(x - s.at) <= ANCHOR_TOL_PT),
    )
    .map(clipTo(box));
  if (adopted.length === 0) return grid;
  const colAnchors = [...grid.colAnchors];
  for (const s of [...adopted].sort((a, b) => a.at - b.at))
    if (!colAnchors.some((x) => Math.abs(x - s.at) <= ANCHOR_TOL_PT)) colAnchors.push(s.at);
  return { ...grid, colAnchors: colAnchors.sort((a, b) => a - b), vLines: [...grid.vLines, ...adopted] };
}

/** A vertical rule cut to the rows of a lattice's box. */
function clipTo(box: Box): (s: Segment) => Segment {
  return (s) => ({ ...s, from: Math.max(s.from, box.y0), to: Math.min(s.to, box.y1) });
}
