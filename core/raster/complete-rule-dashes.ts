import type { Segment } from '../model/index.js';
import type { Grid } from '../tables/grid.js';
import { EDGE_TOL as EDGE_TOL_PT, hasEdge } from '../tables/build-cells.js';
import { blankRows, RULE_CLEARANCE_INCHES } from './infer-lost-rules.js';
import { latticeToPixels, type BinaryRaster } from './raster.js';

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
  const px = latticeToPixels(bin, dpi);
  const clear = Math.max(2, Math.round(RULE_CLEARANCE_INCHES * bin.dpi));
  const win = Math.max(1, Math.round(WINDOW_INCHES * bin.dpi));
  const { colAnchors, rowAnchors, box } = grid;
  const cols = colAnchors.length - 1;
  const edge = (y: number, c: number): boolean => hasEdge(grid.hLines, y, (colAnchors[c]! + colAnchors[c + 1]!) / 2);
  const open = (y: number, c: number): boolean => {
    const x0 = px(colAnchors[c]!) + clear;
    const x1 = px(colAnchors[c + 1]!) - clear;
    return x1 > x0 && blankRows(bin, x0, x1, px(y) - win, px(y) + win + 1, DASH_INCHES).some(Boolean);
  };
  // Writing in column c between row lines a and b (clear of both).
  const written = (c: number, a: number, b: number): boolean => {
    const x0 = px(colAnchors[c]!) + clear;
    const x1 = px(colAnchors[c + 1]!) - clear;
    const y0 = px(Math.min(a, b)) + clear;
    const y1 = px(Math.max(a, b)) - clear;
    return x1 > x0 && y1 > y0 && blankRows(bin, x0, x1, y0, y1).some((blank) => !blank);
  };
  const added: Segment[] = [];
  const dropped = new Set<number>();
  const ruleLength = (y: number): number =>
    grid.hLines.filter((l) => Math.abs(l.at - y) <= EDGE_TOL_PT).reduce((n, l) => n + l.to - l.from, 0);
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
    const start = Math.min(...grid.hLines.filter((l) => Math.abs(l.at - y) <= EDGE_TOL_PT).map((l) => l.from));
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
    const rules = grid.hLines.filter((l) => Math.abs(l.at - y) <= EDGE_TOL_PT);
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
