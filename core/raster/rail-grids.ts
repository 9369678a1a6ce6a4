import type { Segment } from '../model/index.js';
import { EDGE_TOL } from '../tables/build-cells.js';
import type { Grid } from '../tables/grid.js';

/** Both borders start and end within this (points) of each other: one table's two sides. */
const RAIL_END_TOL_PT = 6;
/** A border runs at least this far (points, 2 in): a table several rows deep, not a tick or a stroke. */
const MIN_RAIL_PT = 144;
/** The borders stand at least this far apart (points, 2 in): a table's width, not a column's. */
const MIN_RAIL_GAP_PT = 144;

/**
 * Tables a standard-mode fax (98 lines an inch) kept no row rule of at all: 淮安市's red hairline
 * row rules fall to white in the red channel and between scan lines, so its 表二 on page 3 came out
 * as bare vertical rules, two borders the whole table tall and column rules in pieces, and no
 * lattice was found (findGrids needs a horizontal rule to join them). Two long vertical rules that
 * start and end together, no part of a lattice found, are such a table's borders: a lattice of one
 * band between them, open at the top and bottom, whose column rules (adoptColumnRules) and rows
 * (inferLostRules, from the gaps between text rows) are put back like those of any other band.
 */
export function railGrids(segments: readonly Segment[], found: readonly Grid[]): Grid[] {
  const inLattice = (s: Segment): boolean =>
    found.some(
      (g) => s.at >= g.box.x0 - EDGE_TOL && s.at <= g.box.x1 + EDGE_TOL && s.to > g.box.y0 && s.from < g.box.y1,
    );
  const rails = segments
    .filter((s) => s.axis === 'v' && s.to - s.from >= MIN_RAIL_PT && !inLattice(s))
    .sort((a, b) => a.at - b.at);
  const grids: Grid[] = [];
  const used = new Set<Segment>();
  for (const left of rails) {
    if (used.has(left)) continue;
    // The farthest partner: inner column rules can run the table's height too.
    const right = rails
      .filter(
        (r) =>
          !used.has(r) &&
          r.at - left.at >= MIN_RAIL_GAP_PT &&
          Math.abs(r.from - left.from) <= RAIL_END_TOL_PT &&
          Math.abs(r.to - left.to) <= RAIL_END_TOL_PT,
      )
      .pop();
    if (!right) continue;
    const box = {
      x0: left.at,
      x1: right.at,
      y0: Math.max(left.from, right.from),
      y1: Math.min(left.to, right.to),
    };
    for (const r of rails) if (r.at >= left.at && r.at <= right.at) used.add(r);
    grids.push({
      box,
      rowAnchors: [box.y0, box.y1],
      colAnchors: [box.x0, box.x1],
      hLines: [],
      vLines: [left, right].map((s) => ({ ...s, from: box.y0, to: box.y1 })),
      openTop: true,
      openBottom: true,
    });
  }
  return grids;
}
