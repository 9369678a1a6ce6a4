import type { Box, Segment } from '../model/index.js';
import { EDGE_TOL as EDGE_TOL_PT } from '../tables/build-cells.js';
import { ANCHOR_TOL as ANCHOR_TOL_PT } from '../tables/find-grids.js';
import { transposeGrid, type Grid } from '../tables/grid.js';
import type { VerticalPiece } from './mend-dashed-columns.js';
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
  return widenTo(grid, left && clipTo(box)(left), right && clipTo(box)(right));
}

/** The lattice widened by one column to the border line on either side given. */
function widenTo(grid: Grid, left: Segment | undefined, right: Segment | undefined): Grid {
  if (!left && !right) return grid;
  const colAnchors = [...(left ? [left.at] : []), ...grid.colAnchors, ...(right ? [right.at] : [])];
  return {
    ...grid,
    box: { ...grid.box, x0: colAnchors[0]!, x1: colAnchors[colAnchors.length - 1]! },
    colAnchors,
    vLines: [...grid.vLines, ...[left, right].filter((s): s is Segment => s !== undefined)],
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

/** A dashed border's pieces reach to within this (points) of the lattice's top and bottom rules. */
const DASHED_END_PT = 18;
/** …and cover at least this share of its height: 洪泽区 2024 standard's 表三 right border kept 20 %. */
const MIN_DASHED_COVER = 0.15;
/** Pieces within this (points) across lie on one rule. */
const DASHED_ACROSS_PT = 1.5;
/**
 * At least this many of the lattice's row rules run past its edge halfway to the border or further
 * (洪泽区 2024 standard 表三's left border: only its top rule does).
 */
const MIN_REACHING_ROWS = 1;

/**
 * extendToBorder for a border the fax left as dashes (洪泽区 2024 standard, page 3: 表三's left
 * border and the 其他 | 总计 columns on its right came out as dashes with gaps up to 80 pt, so the
 * lattice stopped at 法律服务机构 and two value columns were never read). Dashes at one x outside the
 * lattice, within `reach` points of it (MAX_REACH_SHARE of its width by default), are its border
 * when they reach from its top rule to its bottom rule (a column of digits starts below the header),
 * cover MIN_DASHED_COVER of the height, and the lattice's row rules run on towards them (rows continue
 * there; a neighbouring table's column has none). The farthest such border on each side wins; the
 * column rules between it and the old edge are judged later by mendDashedColumns, as inside any
 * lattice. `pieces` are thin vertical ink pieces (verticalPieces) in points.
 */
export function extendToDashedBorder(
  grid: Grid,
  pieces: readonly VerticalPiece[],
  segments: readonly Segment[],
  reach = MAX_REACH_SHARE * (grid.box.x1 - grid.box.x0),
): Grid {
  const { box } = grid;
  const thin = [
    ...pieces,
    ...segments.filter((s) => s.axis === 'v').map((s) => ({ at: s.at, from: s.from, to: s.to })),
  ].filter(
    (p) =>
      p.to > box.y0 - DASHED_END_PT &&
      p.from < box.y1 + DASHED_END_PT &&
      ((p.at < box.x0 - EDGE_TOL_PT && p.at >= box.x0 - reach) ||
        (p.at > box.x1 + EDGE_TOL_PT && p.at <= box.x1 + reach)),
  );
  // Row rules of the lattice on its row lines, as found (the lattice keeps only those that made its
  // rows); a streak or a stroke between them is no evidence.
  const rowRules = segments.filter(
    (s) =>
      s.axis === 'h' &&
      grid.rowAnchors.some((y) => Math.abs(y - s.at) <= EDGE_TOL_PT) &&
      s.to > box.x0 &&
      s.from < box.x1,
  );
  const borders = groupByX(thin).filter((g) => isDashedBorder(g, box, rowRules));
  const left = borders.filter((g) => g.at < box.x0).sort((a, b) => a.at - b.at)[0];
  const right = borders.filter((g) => g.at > box.x1).sort((a, b) => b.at - a.at)[0];
  const line = (g: VerticalPiece | undefined): Segment | undefined =>
    g && { axis: 'v', at: g.at, from: box.y0, to: box.y1 };
  return widenTo(grid, line(left), line(right));
}

/** Row borders reached one after another at most (caption, header and value rows of a mini-table). */
const MAX_ROW_STEPS = 3;

/**
 * extendToDashedBorder across the other axis: a table whose lower rows lost every row rule but its
 * dashed bottom border (洪泽区 2024 standard, page 2: 表二's 第二十条第（五）项 caption, header and
 * 行政许可 row under the lattice of its first mini-table, the borders running on down to a bottom rule
 * left as dashes) is lengthened to that rule when the lattice's column rules run on towards it; its rows
 * are put back later from the gaps between text rows. `rowPieces` are thin horizontal ink pieces in
 * points with `at` down and `from`–`to` across; reach is the lattice's width. It stops short of the
 * boxes of `others` (the page's other lattices, as found) that overlap it across.
 */
export function extendToDashedRowBorder(
  grid: Grid,
  rowPieces: readonly VerticalPiece[],
  segments: readonly Segment[],
  others: readonly Box[] = [],
): Grid {
  const flip = (s: Segment): Segment => ({ ...s, axis: s.axis === 'h' ? 'v' : 'h' });
  const flipped = segments.map(flip);
  // Step by step: each rule reached lets the column rules that start under it reach the next one.
  const start = transposeGrid(grid);
  let across = start;
  for (let step = 0; step < MAX_ROW_STEPS; step++) {
    const wide = extendToDashedBorder(across, rowPieces, flipped, grid.box.x1 - grid.box.x0);
    // Never into or onto another table's lattice (a 表四 under a 表三 of the same width, borders in line).
    const [y0, y1] = [wide.box.x0, wide.box.x1];
    const into = (o: Box): boolean =>
      o.y1 > y0 - EDGE_TOL_PT && o.y0 < y1 + EDGE_TOL_PT && !(o.y0 >= grid.box.y0 && o.y1 <= grid.box.y1);
    if (wide === across || others.some(into)) break;
    across = wide;
  }
  return across === start ? grid : transposeGrid(across);
}

interface DashGroup extends VerticalPiece {
  readonly pieces: readonly VerticalPiece[];
}

/** Pieces grouped by x (running mean within DASHED_ACROSS_PT), each group's span and length-weighted x. */
function groupByX(pieces: readonly VerticalPiece[]): DashGroup[] {
  const groups: VerticalPiece[][] = [];
  for (const p of [...pieces].sort((a, b) => a.at - b.at)) {
    const g = groups[groups.length - 1];
    if (g && p.at - g.reduce((s, q) => s + q.at, 0) / g.length <= DASHED_ACROSS_PT) g.push(p);
    else groups.push([p]);
  }
  const length = (g: readonly VerticalPiece[]): number =>
    Math.max(
      1e-9,
      g.reduce((s, q) => s + q.to - q.from, 0),
    );
  return groups.map((g) => ({
    at: g.reduce((s, q) => s + q.at * (q.to - q.from), 0) / length(g),
    from: Math.min(...g.map((q) => q.from)),
    to: Math.max(...g.map((q) => q.to)),
    pieces: g,
  }));
}

function isDashedBorder(g: DashGroup, box: Box, rowRules: readonly Segment[]): boolean {
  if (g.from > box.y0 + DASHED_END_PT || g.to < box.y1 - DASHED_END_PT) return false;
  // The length the pieces cover between the lattice's top and bottom (a segment and its own dashes overlap).
  let covered = 0;
  let end = box.y0;
  for (const p of [...g.pieces].sort((a, b) => a.from - b.from)) {
    const from = Math.max(p.from, end);
    const to = Math.min(p.to, box.y1);
    if (to > from) covered += to - from;
    end = Math.max(end, to);
  }
  if (covered < MIN_DASHED_COVER * (box.y1 - box.y0)) return false;
  // Halfway there or further, and ending there: a rule of this table stops at its border; a sensor
  // streak along a column line runs on through the next table (Noto Sans standard, page 3).
  const half = (g.at + (g.at > box.x1 ? box.x1 : box.x0)) / 2;
  const reaching = rowRules.filter((h) =>
    g.at > box.x1 ? h.to >= half && h.to <= g.at + DASHED_END_PT : h.from <= half && h.from >= g.at - DASHED_END_PT,
  );
  return new Set(reaching.map((h) => Math.round(h.at))).size >= MIN_REACHING_ROWS;
}
