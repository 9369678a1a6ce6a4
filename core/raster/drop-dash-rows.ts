import type { Segment } from '../model/index.js';
import { EDGE_TOL as ANCHOR_TOL_PT } from '../tables/build-cells.js';
import type { Grid } from '../tables/grid.js';

/** Row rules whose pieces cover less than this share of the table's width may be a dash or a stroke. */
const SHORT_RULE_SHARE = 0.25;
/**
 * A band this thin (points; 0.15 in) holds no row of writing: a fax's digits and labels are 0.13 in
 * tall before any padding. 洪泽区 2024 fine-mode 表三 had bands of 0.07 in (a dash under a rule) and
 * 0.13 in (a scan line struck through （六）'s numbers) taken for rows.
 */
const MIN_BAND_PT = 10.8;

/**
 * On a fax page a scan line that struck through a row's writing, or a dash left beside a rule, is
 * found as a short horizontal rule; the lattice makes it a row anchor, so a band too thin for
 * writing becomes a row and the row it cut is split between two. Mapping then counts that sliver
 * as a row (the rows under it shift by one) or reads the two halves as one row and the next. An
 * inner row anchor whose pieces together cover less than a quarter of the table's width and that
 * leaves a band thinner than a line of writing on either side is dropped with its pieces, so the
 * row it cut is one band again (and a band holding two rows is split by inferLostRules after).
 */
export function dropDashRows(grid: Grid): Grid {
  const { rowAnchors } = grid;
  const width = grid.box.x1 - grid.box.x0;
  const dropped = new Set<number>();
  const droppedPieces = new Set<Segment>();
  let previous = rowAnchors[0]!;
  for (let i = 1; i + 1 < rowAnchors.length; i++) {
    const at = rowAnchors[i]!;
    const pieces = grid.hLines.filter((l) => Math.abs(l.at - at) <= ANCHOR_TOL_PT);
    const covered = pieces.reduce((sum, l) => sum + (l.to - l.from), 0);
    const thin = Math.min(at - previous, rowAnchors[i + 1]! - at) < MIN_BAND_PT;
    if (covered < SHORT_RULE_SHARE * width && thin) {
      dropped.add(at);
      for (const p of pieces) droppedPieces.add(p);
    } else previous = at;
  }
  if (dropped.size === 0) return grid;
  return {
    ...grid,
    rowAnchors: rowAnchors.filter((a) => !dropped.has(a)),
    hLines: grid.hLines.filter((l) => !droppedPieces.has(l)),
  };
}
