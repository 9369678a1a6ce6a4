import type { Segment } from '../model/index.js';
import { hasEdge } from '../tables/build-cells.js';
import type { Grid } from '../tables/grid.js';
import { inkShare, latticeToPixels, type BinaryRaster } from './raster.js';

/** Pixel rows (inches) either side of a row line searched for what is left of its rule: residual skew. */
const RULE_BAND_INCHES = 0.012;
/** What is left of a rule across a cell: at least this share of its width in thin ink on one pixel row. */
const MIN_REMNANT_SHARE = 0.12;
/** The band beside the rule (inches from it) that must be paper: no writing runs across the row line. */
const CLEAR_FROM_INCHES = 0.02;
const CLEAR_TO_INCHES = 0.045;
/** A pixel row of the side band holding at most this share of ink is paper (fax specks). */
const MAX_SIDE_INK = 0.03;
/** Cells' sides are looked at this far (inches) inside the column lines: clear of their blur. */
const SIDE_CLEARANCE_INCHES = 0.02;

/**
 * A fax's hairline row rule can be lost in a few columns only (the rest of it found): the cells above
 * and below then merge into one, a value column reads two numbers as one (洪泽区 2024 faxed: 95 over 0
 * read as 950). Where a row line of the lattice crosses a column without a rule, but a remnant of the
 * rule lies on it (a dash at least MIN_REMNANT_SHARE of the cell's width) and no writing crosses it,
 * the edge is put back. A cell spanning rows as printed (a group label) has neither the remnant nor
 * paper on both sides of every row line.
 *
 * `dpi` is the lattice's scale (points ↔ pixels of `bin` as in inferLostRules).
 */
export function mendDashedEdges(bin: BinaryRaster, grid: Grid, dpi: number): Grid {
  const px = latticeToPixels(bin, dpi);
  const band = Math.max(1, Math.round(RULE_BAND_INCHES * bin.dpi));
  const side = Math.max(2, Math.round(SIDE_CLEARANCE_INCHES * bin.dpi));
  const clearFrom = Math.round(CLEAR_FROM_INCHES * bin.dpi);
  const clearTo = Math.round(CLEAR_TO_INCHES * bin.dpi);
  const added: Segment[] = [];
  const x = grid.colAnchors;
  for (let r = 1; r + 1 < grid.rowAnchors.length; r++) {
    const at = grid.rowAnchors[r]!;
    const y = px(at);
    // Per column: the edge drawn, the row line clear of writing, and a remnant of its rule on it.
    const cols = x.slice(1).map((right, c) => {
      const drawn = hasEdge(grid.hLines, at, (x[c]! + right) / 2);
      const x0 = px(x[c]!) + side;
      const x1 = px(right) - side;
      if (drawn || x1 - x0 < 4) return { drawn, paper: false, remnant: false };
      const rowInk = (yy: number): number => inkShare(bin, { x0, x1, y0: yy, y1: yy + 1 });
      let remnant = 0;
      let line = y;
      for (let yy = y - band; yy <= y + band; yy++) {
        const ink = rowInk(yy);
        if (ink > remnant) [remnant, line] = [ink, yy];
      }
      let paper = true;
      for (let d = clearFrom; d <= clearTo && paper; d++)
        paper = rowInk(line - d) <= MAX_SIDE_INK && rowInk(line + d) <= MAX_SIDE_INK;
      return { drawn, paper, remnant: remnant >= MIN_REMNANT_SHARE };
    });
    // An edge is put back where a remnant of the rule lies on a clear line, or where the clear line
    // runs between edges drawn or put back on both sides (the rule vanished there, a rule does not
    // stop for one cell of a row and go on; a group label spanning rows has no rule on one side).
    const has = cols.map((k) => k.drawn || (k.paper && k.remnant));
    for (let c = 0; c < cols.length; c++) {
      if (has[c]) continue;
      let end = c;
      while (end < cols.length && !has[end]) end++;
      if (c > 0 && end < cols.length && cols.slice(c, end).every((k) => k.paper)) has.fill(true, c, end);
      c = end;
    }
    has.forEach((h, c) => {
      if (h && !cols[c]!.drawn) added.push({ axis: 'h', at, from: x[c]!, to: x[c + 1]! });
    });
  }
  return added.length === 0 ? grid : { ...grid, hLines: [...grid.hLines, ...added] };
}
