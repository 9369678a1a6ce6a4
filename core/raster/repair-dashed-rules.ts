import type { Segment } from '../model/index.js';
import { transposeGrid, type Grid } from '../tables/grid.js';
import { EDGE_TOL as EDGE_TOL_PT, hasEdge } from '../tables/build-cells.js';
import { blankRows, RULE_CLEARANCE_INCHES } from './infer-lost-rules.js';
import { inkShare, latticeToPixels, type BinaryRaster } from './raster.js';

/**
 * The row rules a fax's threshold broke into dashes, repaired on the lattice from two sides:
 *
 * - completeRuleDashes (standard mode, 98 lines an inch): a row line made of dashes only is carried
 *   across the columns no writing crosses, or dropped when it is a stroke rather than a rule;
 * - mendDashedEdges (every fax page, after inferLostRules): a row line found in most columns gets
 *   back the edges it lost in a few, where a remnant of the rule lies on a line clear of writing.
 *
 * Both walk the inner row lines of a lattice and add row-rule segments where a column lacks its edge.
 */

/** A column is open at a row line when some pixel row this close (inches) to it is blank there… */
const WINDOW_INCHES = 0.03;
/**
 * …but for runs this long (inches): the dashes of the lost rule itself, 10–30 px at 204 dpi, lie on
 * the line (a CJK glyph crossing it has vertical strokes there too).
 */
const DASH_INCHES = 0.06;
/** An inner row rule shorter than this share of the lattice's width is a dash of a lost rule. */
const DASH_SHARE = 0.3;
/** Row lines closer than this (inches) are one rule left a little tilted by the deskew: no row is that thin. */
const MIN_ROW_INCHES = 0.08;

/** Pixel rows (inches) either side of a row line searched for what is left of its rule: residual skew. */
const RULE_BAND_INCHES = 0.012;
/** What is left of a rule across a cell: at least this share of its width in thin ink on one pixel row. */
const MIN_REMNANT_SHARE = 0.12;
/** The band beside the rule (inches from it) that must be paper: no writing runs across the row line. */
const CLEAR_FROM_INCHES = 0.02;
const CLEAR_TO_INCHES = 0.045;
/**
 * Where a remnant of the rule lies on the line, the near part of that band (up to this, inches) clear
 * is enough: a row set tight on its rule (洪泽区 2023 fine 表三, 17.7-pt rows) has its digits end 0.04 in
 * from it, while writing that crosses the line has ink at every distance.
 */
const CLEAR_NEAR_INCHES = 0.03;
/** A pixel row of the side band holding at most this share of ink is paper (fax specks). */
const MAX_SIDE_INK = 0.03;
/**
 * Writing beside a lost column rule holds at least this much ink (square inches): a thin 1 at 10 pt
 * has 0.002, a speck (synth-1-4's `·` beside 四、结转下年度继续办理) a tenth of that.
 */
const MIN_TEXT_INK_SQ_INCHES = 0.001;
/** Cells' sides are looked at this far (inches) inside the column lines: clear of their blur. */
const SIDE_CLEARANCE_INCHES = 0.02;

/** The lattice of `grid` read against the pixels of `bin`: column spans, edges and rule pieces by row line. */
function latticeOn(bin: BinaryRaster, grid: Grid, dpi: number) {
  const px = latticeToPixels(bin, dpi);
  const x = grid.colAnchors;
  return {
    px,
    cols: x.length - 1,
    /** Column c in pixels, `inset` pixels inside its lines. */
    span: (c: number, inset: number) => ({ x0: px(x[c]!) + inset, x1: px(x[c + 1]!) - inset }),
    /** Row line `at` has its rule across column c. */
    edge: (at: number, c: number): boolean => hasEdge(grid.hLines, at, (x[c]! + x[c + 1]!) / 2),
    /** The row-rule pieces lying on row line `at`. */
    rulesAt: (at: number): Segment[] => grid.hLines.filter((l) => Math.abs(l.at - at) <= EDGE_TOL_PT),
  };
}

/**
 * At 98 lines an inch a thin row rule survives only where it happened to fall on a scan line: as
 * dashes a column or two long, in different columns from row to row (synth-21x-1's 表三). Each dash
 * gives the lattice a row line with an edge in its own columns only, so the cells of the other
 * columns span two, three or five rows and their numbers run together (44 1030 1095 read as one).
 *
 * A row line whose rules leave columns without an edge is completed: it runs from the leftmost
 * column from which every column to the right edge is either ruled there or has a blank pixel row
 * near the line (no writing crosses it), as a 表三 row rule runs from its label column to the
 * right edge; a label spanning rows on the left keeps its span. A row line made of dashes only that
 * writing crosses in more than half the columns is no row rule (a stroke, an underline) and goes,
 * as does one within MIN_ROW_INCHES of a longer one (the two ends of one tilted rule, synth-1-5).
 */
export function completeRuleDashes(bin: BinaryRaster, grid: Grid, dpi: number): Grid {
  const { px, cols, span, edge, rulesAt } = latticeOn(bin, grid, dpi);
  const clear = Math.max(2, Math.round(RULE_CLEARANCE_INCHES * bin.dpi));
  const win = Math.max(1, Math.round(WINDOW_INCHES * bin.dpi));
  const { colAnchors, rowAnchors, box } = grid;
  const open = (y: number, c: number): boolean => {
    const { x0, x1 } = span(c, clear);
    return x1 > x0 && blankRows(bin, x0, x1, px(y) - win, px(y) + win + 1, DASH_INCHES).some(Boolean);
  };
  // Writing in column c between row lines a and b (clear of both).
  const written = (c: number, a: number, b: number): boolean => {
    const { x0, x1 } = span(c, clear);
    const y0 = px(Math.min(a, b)) + clear;
    const y1 = px(Math.max(a, b)) - clear;
    return x1 > x0 && y1 > y0 && blankRows(bin, x0, x1, y0, y1).some((blank) => !blank);
  };
  const added: Segment[] = [];
  const dropped = new Set<number>();
  const ruleLength = (y: number): number => rulesAt(y).reduce((n, l) => n + l.to - l.from, 0);
  const minRow = MIN_ROW_INCHES * 72;
  for (let i = 1; i + 1 < rowAnchors.length; i++) {
    const y = rowAnchors[i]!;
    const near = [rowAnchors[i - 1]!, rowAnchors[i + 1]!].filter((o) => Math.abs(o - y) < minRow);
    if (near.some((o) => ruleLength(o) > ruleLength(y))) {
      dropped.add(i);
      continue;
    }
    const ruled = Array.from({ length: cols }, (_, c) => edge(y, c));
    if (ruled.every(Boolean)) continue;
    // Left of the rule's first piece a column is split only where it holds writing on both sides of
    // the line: a group label set vertically, or centred in its span, leaves it blank elsewhere.
    // (Not left of the first column it covers: a rule broken into dashes by the skew may have its
    // gaps where the edge is tested, mid-column, and v2019 reports leave whole rows blank.)
    const rules = rulesAt(y);
    const start = Math.min(...rules.map((l) => l.from));
    const leftmost = colAnchors.findIndex((_, c) => c < cols && start < colAnchors[c + 1]! - EDGE_TOL_PT);
    const splits = (c: number): boolean =>
      ruled[c]! ||
      (open(y, c) && (c >= leftmost || (written(c, rowAnchors[i - 1]!, y) && written(c, y, rowAnchors[i + 1]!))));
    let first = cols;
    while (first > 0 && splits(first - 1)) first--;
    if (2 * (cols - first) >= cols) {
      added.push({ axis: 'h', at: y, from: colAnchors[first]!, to: colAnchors[cols]! });
      continue;
    }
    if (rules.every((l) => l.to - l.from < DASH_SHARE * (box.x1 - box.x0))) dropped.add(i);
  }
  if (added.length === 0 && dropped.size === 0) return grid;
  const gone = (l: Segment): boolean => [...dropped].some((i) => Math.abs(l.at - rowAnchors[i]!) <= EDGE_TOL_PT);
  return {
    ...grid,
    rowAnchors: rowAnchors.filter((_, i) => !dropped.has(i)),
    hLines: [...grid.hLines.filter((l) => !gone(l)), ...added],
  };
}

/**
 * A fax's hairline row rule can be lost in a few columns only (the rest of it found): the cells above
 * and below then merge into one, a value column reads two numbers as one (洪泽区 2024 faxed: 95 over 0
 * read as 950). Where a row line of the lattice crosses a column without a rule, but a remnant of the
 * rule lies on it (a dash at least MIN_REMNANT_SHARE of the cell's width) and no writing crosses it,
 * the edge is put back. A cell spanning rows as printed (a group label) has neither the remnant nor
 * paper on both sides of every row line.
 *
 * `dpi` is the lattice's scale (points ↔ pixels of `bin` as in inferLostRules); `between` false puts
 * edges back on a remnant only, or (`sides`) on a clear line with writing on both sides of it in the
 * column.
 */
export function mendDashedEdges(bin: BinaryRaster, grid: Grid, dpi: number, between = true, sides = false): Grid {
  const { px, span, edge } = latticeOn(bin, grid, dpi);
  const clear = Math.max(2, Math.round(RULE_CLEARANCE_INCHES * bin.dpi));
  // Writing in column c between row lines a and b (clear of both): more ink than a speck.
  const minInk = MIN_TEXT_INK_SQ_INCHES * bin.dpi * bin.dpi;
  const written = (c: number, a: number, b: number): boolean => {
    const box = { ...span(c, clear), y0: px(a) + clear, y1: px(b) - clear };
    return box.x1 > box.x0 && box.y1 > box.y0 && inkShare(bin, box) * (box.x1 - box.x0) * (box.y1 - box.y0) >= minInk;
  };
  const band = Math.max(1, Math.round(RULE_BAND_INCHES * bin.dpi));
  const side = Math.max(2, Math.round(SIDE_CLEARANCE_INCHES * bin.dpi));
  const clearFrom = Math.round(CLEAR_FROM_INCHES * bin.dpi);
  const clearTo = Math.round(CLEAR_TO_INCHES * bin.dpi);
  const clearNear = Math.round(CLEAR_NEAR_INCHES * bin.dpi);
  const added: Segment[] = [];
  const x = grid.colAnchors;
  for (let r = 1; r + 1 < grid.rowAnchors.length; r++) {
    const at = grid.rowAnchors[r]!;
    const y = px(at);
    // Per column: the edge drawn, the row line clear of writing, and a remnant of its rule on it.
    const cols = x.slice(1).map((_, c) => {
      const drawn = edge(at, c);
      const { x0, x1 } = span(c, side);
      if (drawn || x1 - x0 < 4) return { drawn, paper: false, remnant: false, near: false };
      const rowInk = (yy: number): number => inkShare(bin, { x0, x1, y0: yy, y1: yy + 1 });
      let remnant = 0;
      let line = y;
      for (let yy = y - band; yy <= y + band; yy++) {
        const ink = rowInk(yy);
        if (ink > remnant) [remnant, line] = [ink, yy];
      }
      const clearAt = (d: number): boolean => rowInk(line - d) <= MAX_SIDE_INK && rowInk(line + d) <= MAX_SIDE_INK;
      let paper = true;
      let near = true;
      for (let d = clearFrom; d <= clearTo && paper; d++) {
        paper = clearAt(d);
        if (d <= clearNear) near = paper;
      }
      const both = sides && paper && written(c, grid.rowAnchors[r - 1]!, at) && written(c, at, grid.rowAnchors[r + 1]!);
      return {
        drawn,
        paper,
        remnant: remnant >= MIN_REMNANT_SHARE || both,
        near: near && remnant >= MIN_REMNANT_SHARE,
      };
    });
    // An edge is put back where a remnant of the rule lies on a clear line, or where the clear line
    // runs between edges drawn or put back on both sides (the rule vanished there, a rule does not
    // stop for one cell of a row and go on; a group label spanning rows has no rule on one side).
    // Row lines only (`between`): a remnant on a line clear near it is the rule (see CLEAR_NEAR_INCHES).
    const has = cols.map((k) => k.drawn || (k.paper && k.remnant) || (between && k.near));
    for (let c = 0; c < cols.length; c++) {
      if (has[c]) continue;
      let end = c;
      while (end < cols.length && !has[end]) end++;
      if (between && c > 0 && end < cols.length && cols.slice(c, end).every((k) => k.paper)) has.fill(true, c, end);
      c = end;
    }
    has.forEach((h, c) => {
      if (h && !cols[c]!.drawn) added.push({ axis: 'h', at, from: x[c]!, to: x[c + 1]! });
    });
  }
  return added.length === 0 ? grid : { ...grid, hLines: [...grid.hLines, ...added] };
}

/**
 * mendDashedEdges across the other axis: a column line of the lattice that lost its rule for a row or
 * two (洪泽区 2024 faxed: 95 and 0 of neighbouring columns read as one cell, 950) gets the edge back
 * where a remnant of the rule lies on it and no writing crosses it. Not merely for running between
 * edges drawn above and below: a caption row (第二十条第（一）项) spans the columns of the rows around
 * it with paper along every column line. Where the rule left no remnant, the edge comes back on a
 * clear line with writing on both sides (洪泽区 2023 standard 表三: 10 | 0 of 自然人 | 商业企业 in one cell,
 * three rows; a label spanning two columns lies on one side of the line or crosses it). `transposed`
 * is `bin` mirrored across its diagonal.
 */
export function mendDashedColumnEdges(transposed: BinaryRaster, grid: Grid, dpi: number): Grid {
  const mended = mendDashedEdges(transposed, transposeGrid(grid), dpi, false, true);
  if (mended.hLines.length === grid.vLines.length) return grid;
  // A row band most inner column rules do not cross spans the table as printed (a caption row).
  const inner = grid.colAnchors.slice(1, -1);
  const caption = (mid: number): boolean => 2 * inner.filter((x) => hasEdge(grid.vLines, x, mid)).length < inner.length;
  const added = mended.hLines.slice(grid.vLines.length).filter((l) => !caption((l.from + l.to) / 2));
  return transposeGrid({ ...mended, hLines: [...mended.hLines.slice(0, grid.vLines.length), ...added] });
}
