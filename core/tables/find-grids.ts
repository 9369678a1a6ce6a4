import type { Segment } from '../model/index.js';
import { findRoot } from './find-root.js';
import type { Grid } from './grid.js';

/** Rules this close (points) across their axis are the same line drawn in pieces or twice (camelot's line_tol). */
const COLLINEAR_TOL = 1.5;
/** Pieces of one rule separated by a gap this small (points) are joined (anti-aliasing gaps, per-cell strokes). */
const JOIN_GAP = 2;
/** A rule ending this close (points) to another counts as touching it (joint tolerance, camelot's joint_tol). */
const JOINT_TOL = 2.5;
/** Anchors closer than this (points) are one grid line. */
export const ANCHOR_TOL = 2;
/** Vertical rules reaching this far (points) past the last horizontal rule enclose a row without a closing rule. */
const OPEN_EDGE = 4;
/** A grid needs at least this size (points) in both directions; smaller boxes are underlines, checkboxes, frames of glyphs. */
const MIN_GRID_SIZE = 8;

function coalesceAxis(lines: readonly Segment[]): Segment[] {
  const sorted = [...lines].sort((a, b) => a.at - b.at);
  const out: Segment[] = [];
  let group: Segment[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    const at = group.reduce((s, l) => s + l.at, 0) / group.length;
    const byFrom = group.sort((a, b) => a.from - b.from);
    let cur = { from: (byFrom[0] as Segment).from, to: (byFrom[0] as Segment).to };
    for (const l of byFrom.slice(1)) {
      if (l.from <= cur.to + JOIN_GAP) cur.to = Math.max(cur.to, l.to);
      else {
        out.push({ axis: l.axis, at, from: cur.from, to: cur.to });
        cur = { from: l.from, to: l.to };
      }
    }
    out.push({ axis: (group[0] as Segment).axis, at, from: cur.from, to: cur.to });
    group = [];
  };
  for (const l of sorted) {
    if (group.length > 0 && l.at - (group[group.length - 1] as Segment).at > COLLINEAR_TOL) flush();
    group.push(l);
  }
  flush();
  return out;
}

/** Merges collinear, overlapping or nearly touching rules into single lines (camelot's coalesce step). */
export function coalesceLines(segments: readonly Segment[]): Segment[] {
  return [
    ...coalesceAxis(segments.filter((s) => s.axis === 'h')),
    ...coalesceAxis(segments.filter((s) => s.axis === 'v')),
  ];
}

function touches(h: Segment, v: Segment): boolean {
  return (
    v.at >= h.from - JOINT_TOL && v.at <= h.to + JOINT_TOL && h.at >= v.from - JOINT_TOL && h.at <= v.to + JOINT_TOL
  );
}

/** At least LONE_RULE_MIN_V vertical rules run LONE_RULE_REACH past the rule, all on the same side. */
function hangs(h: Segment, v: readonly Segment[]): boolean {
  const below = v.filter((l) => l.to - h.at >= LONE_RULE_REACH).length;
  const above = v.filter((l) => h.at - l.from >= LONE_RULE_REACH).length;
  return Math.max(below, above) >= LONE_RULE_MIN_V;
}

function anchorsOf(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let sum = 0;
  let n = 0;
  let last = -Infinity;
  for (const v of sorted) {
    if (n > 0 && v - last > ANCHOR_TOL) {
      out.push(sum / n);
      sum = 0;
      n = 0;
    }
    sum += v;
    n++;
    last = v;
  }
  if (n > 0) out.push(sum / n);
  return out;
}

/** A lone rule opens a grid only with this many vertical rules hanging past it… */
const LONE_RULE_MIN_V = 3;
/** …at least this far (points): a table whose other row rules were all lost, not an underline with ticks. */
const LONE_RULE_REACH = 72;

export interface FindGridsOptions {
  /**
   * A single horizontal rule crossed by vertical rules that run on past it opens a grid (its other
   * edge where the vertical rules end). For standard-mode fax pages, where a table cut by a page break
   * kept only its top border (Noto Sans 表三): every row rule fell between scan lines.
   */
  readonly loneRule?: boolean;
}

/**
 * Finds ruled tables: coalesces the rules, groups horizontal and vertical rules that cross or touch into
 * connected lattices, and returns each lattice with its row and column anchors, top to bottom.
 * Input-agnostic: segments may come from a PDF's vector graphics or from a raster line finder.
 */
export function findGrids(segments: readonly Segment[], opts: FindGridsOptions = {}): Grid[] {
  const lines = coalesceLines(segments);
  const h = lines.filter((l) => l.axis === 'h');
  const v = lines.filter((l) => l.axis === 'v');
  const parent = lines.map((_, i) => i);
  for (let i = 0; i < h.length; i++) {
    for (let j = 0; j < v.length; j++) {
      if (touches(h[i] as Segment, v[j] as Segment)) {
        const a = findRoot(parent, i);
        const b = findRoot(parent, h.length + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const groups = new Map<number, { h: Segment[]; v: Segment[] }>();
  const ordered = [...h, ...v];
  ordered.forEach((line, i) => {
    const root = findRoot(parent, i);
    const g = groups.get(root) ?? { h: [], v: [] };
    (line.axis === 'h' ? g.h : g.v).push(line);
    groups.set(root, g);
  });
  const grids: Grid[] = [];
  for (const g of groups.values()) {
    if (g.v.length < 2 || (g.h.length < 2 && !(opts.loneRule && g.h.length === 1 && hangs(g.h[0]!, g.v)))) continue;
    const rowAnchors = anchorsOf(g.h.map((l) => l.at));
    // vertical rules running past the outer horizontal rules: a row cut by a page break (no closing rule)
    const vTop = Math.min(...g.v.map((l) => l.from));
    const vBottom = Math.max(...g.v.map((l) => l.to));
    const openTop = rowAnchors.length > 0 && (rowAnchors[0] as number) - vTop > OPEN_EDGE;
    const openBottom = rowAnchors.length > 0 && vBottom - (rowAnchors[rowAnchors.length - 1] as number) > OPEN_EDGE;
    if (openTop) rowAnchors.unshift(vTop);
    if (openBottom) rowAnchors.push(vBottom);
    const colAnchors = anchorsOf(g.v.map((l) => l.at));
    if (rowAnchors.length < 2 || colAnchors.length < 2) continue;
    const box = {
      x0: colAnchors[0] as number,
      y0: rowAnchors[0] as number,
      x1: colAnchors[colAnchors.length - 1] as number,
      y1: rowAnchors[rowAnchors.length - 1] as number,
    };
    if (box.x1 - box.x0 < MIN_GRID_SIZE || box.y1 - box.y0 < MIN_GRID_SIZE) continue;
    grids.push({ box, rowAnchors, colAnchors, hLines: g.h, vLines: g.v, openTop, openBottom });
  }
  return grids.sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
}
