import type { Segment } from '../model/index.js';
import { EDGE_TOL as EDGE_TOL_PT } from '../tables/build-cells.js';
import { ANCHOR_TOL as ANCHOR_TOL_PT } from '../tables/find-grids.js';
import type { Grid } from '../tables/grid.js';
import { linkRuns } from './link-runs.js';
import { inkShare, pxToPt, transpose, type BinaryRaster } from './raster.js';

/** Vertical pieces this long (inches) and at most DASH_THICK_INCHES thick are dashes of a broken hairline. */
const DASH_MIN_INCHES = 0.04;
const DASH_THICK_INCHES = 0.025;
/** Pieces within this (inches) across lie on one column line: residual skew, the fax's jitter. */
const COLLINEAR_INCHES = 0.012;
/** Dashes of one rule follow each other with gaps up to this (inches); 洪泽区 2023 standard mode: 0.2–0.33. */
const DASH_GAP_INCHES = 0.4;
/** A chain ends on a row line (the rule ran between row rules) when it stops this close (inches) to it. */
const END_SNAP_INCHES = 0.25;
/** A pixel row of the table holding more ink than this (dashes taken out) is a row of writing. */
const TEXT_ROW_PX = 12;
/** Pixels either side of a column line left out of a row's ink: the rule and its dashes. */
const BAND_PX = 3;
/** At least this share of a chain's dash pixels lie between rows of writing: a rule crosses the gaps, a glyph stroke does not. */
const MIN_GAP_SHARE = 0.15;
/** The strips beside a rule (inches from its centre) are paper: it separates ink columns, it is not in one. */
const SIDE_FROM_INCHES = 0.025;
const SIDE_TO_INCHES = 0.045;
const MAX_SIDE_INK = 0.06;
/** A chain this close (pixels) across to a piece of a sensor streak, along it or a dash gap from it, is the streak's. */
const STREAK_PX = 6;
/** A chain followed end to end (overlapping at most STEP_OVERLAP_INCHES) by another up to STEP_INCHES across… */
const STEP_INCHES = 0.06;
const STEP_OVERLAP_INCHES = 0.1;
/** …that lies this many pixels across per pixel down from it leans like a streak (a deskewed rule: < 0.003). */
const MIN_LEAN = 0.01;
/** A column rule covering this share of a row band crosses it (a dash reaching in from the next row covers less). */
const MIN_CROSS_SHARE = 0.25;
/** Stretches between row lines shorter than this (pixel rows) are not judged for side ink. */
const MIN_STRETCH_PX = 10;

/** A thin vertical piece of ink in pixels (points once find-raster-tables scales it): `at` across, `from`–`to` down. */
export interface VerticalPiece {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

/** The thin vertical ink pieces of a page (DASH_*): what a fax leaves of its vertical hairlines, and glyph strokes. */
export function verticalPieces(bin: BinaryRaster): VerticalPiece[] {
  const thick = Math.max(2, DASH_THICK_INCHES * bin.dpi);
  return linkRuns(
    transpose(bin.data, bin.width, bin.height),
    bin.height,
    bin.width,
    Math.round(DASH_MIN_INCHES * bin.dpi),
    1,
    'staircase',
  )
    .filter((b) => b.n / (b.to - b.from + 1) <= thick)
    .map((b) => ({ at: b.sy / b.n, from: b.from, to: b.to }));
}

export interface ColumnChain extends VerticalPiece {
  readonly gapShare: number;
  readonly sideInk: number;
  readonly kept: boolean;
}

/**
 * A fax breaks a vertical hairline too (洪泽区's 0.5-pt column rules: dashes 0.05–0.17 in long with
 * gaps as long, or gone in a stretch), and joining vertical dashes like horizontal ones chained
 * the strokes of text columns into rules. A chain of dashes at one x is taken as a column rule of
 * the lattice only on a rule's evidence: it crosses a row line (its ends go to the row lines they
 * stop near; an end far from one is where a lost row rule ran); part of its ink lies in the gaps
 * between rows of writing (a glyph's stroke is inside its row); and the strips beside it are paper
 * (it separates two ink columns, it is not inside one). It becomes a new column line, or fills the
 * stretch where an existing one was lost.
 *
 * A chain on a sensor streak (`streaks`, the pieces dropStreaks took out) or stepping sideways
 * like one is none. `pieces`, `streaks` and the result's `chains` are pixels of `bin`, the lattice
 * in points at bin.dpi.
 */
export function mendDashedColumns(
  bin: BinaryRaster,
  grid: Grid,
  pieces: readonly VerticalPiece[],
  segments: readonly Segment[],
  streaks: readonly VerticalPiece[] = [],
): { grid: Grid; chains: ColumnChain[] } {
  const k = bin.dpi / 72;
  const px = (pt: number): number => Math.round(pt * k);
  const X0 = px(grid.box.x0);
  const X1 = px(grid.box.x1);
  const rows = grid.rowAnchors.map(px);
  const Y0 = rows[0]!;
  const Y1 = rows[rows.length - 1]!;
  const across = COLLINEAR_INCHES * bin.dpi;
  const margin = SIDE_TO_INCHES * bin.dpi;
  const inside = [
    ...pieces,
    ...segments.filter((s) => s.axis === 'v').map((s) => ({ at: s.at * k, from: s.from * k, to: s.to * k })),
  ].filter((p) => p.at > X0 + margin && p.at < X1 - margin && p.to > Y0 && p.from < Y1);
  const ink = rowInk(bin, X0, X1, Y0, Y1, grid.colAnchors.map(px));
  const gap = DASH_GAP_INCHES * bin.dpi;
  const found = chainPieces(inside, across, gap);
  const spans = found.map(spanOf);
  const cols = grid.colAnchors.map(px);
  const judged = found.map((c) => judge(bin, c, rows, cols, ink, Y0));
  const dashed = spans.filter((_, i) => judged[i]!.kept);
  const onStreak = (c: VerticalPiece): boolean =>
    streaks.some((s) => Math.abs(s.at - c.at) <= STREAK_PX && s.from - gap <= c.to && s.to + gap >= c.from);
  const chains = judged.map((j, i) =>
    j.kept && (leans(spans[i]!, dashed, across, gap, bin.dpi) || onStreak(spans[i]!)) ? { ...j, kept: false } : j,
  );
  if (!chains.some((c) => c.kept)) return { grid, chains };
  // A row band most inner column rules do not cross spans the table as printed (a caption row). A
  // rule crosses a band when it covers part of it: a standard-mode fax broke 淮安市's 表二 column rules
  // right at the middle of the 规章 row, the cells either side merged.
  const inner = grid.colAnchors.slice(1, -1);
  const caption = (r: number): boolean => {
    const [y0, y1] = [grid.rowAnchors[r]!, grid.rowAnchors[r + 1]!];
    return 2 * inner.filter((x) => crossShare(grid.vLines, x, y0, y1) >= MIN_CROSS_SHARE).length < inner.length;
  };
  const colAnchors = [...grid.colAnchors];
  const vLines: Segment[] = [];
  chains.forEach((c, i) => {
    if (!c.kept) return;
    const at = pxToPt(c.at, bin.dpi);
    if (!colAnchors.some((x) => Math.abs(x - at) <= ANCHOR_TOL_PT)) colAnchors.push(at);
    const x = colAnchors.find((a) => Math.abs(a - at) <= ANCHOR_TOL_PT)!;
    // Only what the column line lacks: a chain's end inside a drawn rule is no end of the rule.
    const drawn = [...grid.vLines, ...vLines].filter((l) => Math.abs(l.at - x) <= ANCHOR_TOL_PT);
    for (const [a, b] of inkedBands(found[i]!, c, rows, caption))
      for (const [from, to] of uncovered(pxToPt(a, bin.dpi), pxToPt(b, bin.dpi), drawn))
        vLines.push({ axis: 'v', at: x, from, to });
  });
  return {
    grid: { ...grid, colAnchors: colAnchors.sort((a, b) => a - b), vLines: [...grid.vLines, ...vLines] },
    chains,
  };
}

/**
 * The stretches of a chain's span (pixels) over row bands that hold a piece of it: a dash gap may
 * bridge a whole row, and a caption row spanning the table (第二十条第（一）项 between two mini-tables
 * whose column rules line up, no inner column rule across it) has no rule to put back.
 */
function inkedBands(
  pieces: readonly VerticalPiece[],
  span: VerticalPiece,
  rows: readonly number[],
  caption: (r: number) => boolean,
): [number, number][] {
  const out: [number, number][] = [];
  for (let r = 0; r + 1 < rows.length; r++) {
    const [a, b] = [Math.max(rows[r]!, span.from), Math.min(rows[r + 1]!, span.to)];
    if (b <= a || caption(r) || !pieces.some((p) => Math.min(p.to, b) > Math.max(p.from, a))) continue;
    const last = out[out.length - 1];
    if (last && last[1] >= a) last[1] = b;
    else out.push([a, b]);
  }
  return out;
}

/** The share of the band [y0, y1] that the lines on column line `x` cover. */
function crossShare(lines: readonly Segment[], x: number, y0: number, y1: number): number {
  const on = lines
    .filter((l) => Math.abs(l.at - x) <= EDGE_TOL_PT && l.to > y0 && l.from < y1)
    .map((l) => [Math.max(l.from, y0), Math.min(l.to, y1)] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = y0;
  for (const [a, b] of on) {
    if (b > Math.max(a, end)) covered += b - Math.max(a, end);
    end = Math.max(end, b);
  }
  return covered / Math.max(1e-9, y1 - y0);
}

/** The parts of [from, to] no line of `lines` covers (to within EDGE_TOL points). */
function uncovered(from: number, to: number, lines: readonly Segment[]): [number, number][] {
  let parts: [number, number][] = [[from, to]];
  for (const l of lines)
    parts = parts.flatMap(([a, b]): [number, number][] => {
      if (l.to + EDGE_TOL_PT < a || l.from - EDGE_TOL_PT > b) return [[a, b]];
      return [
        ...(l.from - EDGE_TOL_PT > a ? [[a, l.from] as [number, number]] : []),
        ...(l.to + EDGE_TOL_PT < b ? [[l.to, b] as [number, number]] : []),
      ];
    });
  return parts.filter(([a, b]) => b - a > 2 * EDGE_TOL_PT);
}

/** Where a chain of pieces lies: its x weighted by length, its first and last pixel row. */
function spanOf(chain: readonly VerticalPiece[]): VerticalPiece {
  const len = chain.reduce((s, p) => s + p.to - p.from, 0);
  const at = chain.reduce((s, p) => s + p.at * (p.to - p.from), 0) / Math.max(1, len);
  return { at, from: Math.min(...chain.map((p) => p.from)), to: Math.max(...chain.map((p) => p.to)) };
}

/**
 * The chain goes on, end to end, in another chain a few pixels across and leaning as a sensor streak
 * does (synth-21x-2's page 2: a dashed streak stepping 4–5 px every 200 px through 表三's label
 * column; a column rule stands straight once the page is deskewed).
 */
function leans(c: VerticalPiece, all: readonly VerticalPiece[], across: number, gap: number, dpi: number): boolean {
  const overlap = STEP_OVERLAP_INCHES * dpi;
  return all.some((o) => {
    const dx = Math.abs(o.at - c.at);
    if (o === c || dx <= across || dx > STEP_INCHES * dpi) return false;
    const follows = (a: VerticalPiece, b: VerticalPiece): boolean => b.from >= a.to - overlap && b.from - a.to <= gap;
    if (!follows(c, o) && !follows(o, c)) return false;
    return dx >= MIN_LEAN * Math.abs((o.from + o.to) / 2 - (c.from + c.to) / 2);
  });
}

/** Pieces grouped by x, then chained down the page across gaps up to `gap`. */
function chainPieces(pieces: readonly VerticalPiece[], across: number, gap: number): VerticalPiece[][] {
  const byX = [...pieces].sort((a, b) => a.at - b.at);
  const groups: VerticalPiece[][] = [];
  for (const p of byX) {
    const g = groups[groups.length - 1];
    const mean = g ? g.reduce((s, q) => s + q.at, 0) / g.length : -Infinity;
    if (g && p.at - mean <= across) g.push(p);
    else groups.push([p]);
  }
  const chains: VerticalPiece[][] = [];
  for (const g of groups) {
    let cur: VerticalPiece[] = [];
    let end = -Infinity;
    for (const p of g.sort((a, b) => a.from - b.from)) {
      if (cur.length > 0 && p.from - end > gap) {
        chains.push(cur);
        cur = [];
      }
      cur.push(p);
      end = Math.max(end, p.to);
    }
    if (cur.length > 0) chains.push(cur);
  }
  return chains;
}

/** Ink per pixel row of [y0, y1) across [x0, x1), the pixels within BAND_PX of the lattice's column lines left out. */
function rowInk(
  bin: BinaryRaster,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  cols: readonly number[],
): Int32Array {
  const out = new Int32Array(y1 - y0);
  for (let y = y0; y < y1; y++) {
    let ink = 0;
    for (let i = y * bin.width + x0, end = y * bin.width + x1; i < end; i++) ink += bin.data[i]!;
    for (const c of cols) ink -= bandInk(bin, c, y);
    out[y - y0] = ink;
  }
  return out;
}

/** Ink within BAND_PX of column x on pixel row y. */
function bandInk(bin: BinaryRaster, x: number, y: number): number {
  let ink = 0;
  for (let i = y * bin.width + x - BAND_PX, end = y * bin.width + x + BAND_PX; i <= end; i++) ink += bin.data[i]!;
  return ink;
}

/** A chain's evidence (see mendDashedColumns), its ends snapped to the row lines it runs between. */
function judge(
  bin: BinaryRaster,
  chain: readonly VerticalPiece[],
  rows: readonly number[],
  cols: readonly number[],
  ink: Int32Array,
  Y0: number,
): ColumnChain {
  const { at, from, to } = spanOf(chain);
  const snap = END_SNAP_INCHES * bin.dpi;
  const top = [...rows].reverse().find((y) => y <= from + snap / 4 && from - y <= snap);
  const bottom = rows.find((y) => y >= to - snap / 4 && y - to <= snap);
  let dash = 0;
  let inGap = 0;
  const x = Math.round(at);
  // The lattice column it lies in, clear of its rules: writing beside the dash in the same column (a
  // column of glyphs set vertically, 三、本年度办理结果) is a row of writing the table's rows miss.
  const left = Math.max(...cols.filter((c) => c < x - BAND_PX)) + BAND_PX;
  const right = Math.min(...cols.filter((c) => c > x + BAND_PX)) - BAND_PX;
  const localInk = (y: number): number =>
    inkShare(bin, { x0: left, x1: right + 1, y0: y, y1: y + 1 }) * (right + 1 - left) - bandInk(bin, x, y);
  for (const p of chain)
    for (let y = Math.max(p.from, Y0); y <= p.to && y - Y0 < ink.length; y++) {
      dash++;
      inGap += ink[y - Y0]! - bandInk(bin, x, y) > TEXT_ROW_PX || localInk(y) > 0 ? 0 : 1;
    }
  const s0 = Math.round(SIDE_FROM_INCHES * bin.dpi);
  const s1 = Math.round(SIDE_TO_INCHES * bin.dpi);
  // Side ink per stretch between the row lines it crosses: the worst stretch counts (a streak runs
  // clear of writing for most of its length, and through it somewhere).
  let sideInk = 0;
  const cuts = [from, ...rows.filter((y) => y > from && y < to), to];
  for (let i = 0; i + 1 < cuts.length; i++) {
    let side = 0;
    let n = 0;
    for (let y = cuts[i]! + s1; y <= cuts[i + 1]! - s1; y++)
      for (let d = s0; d <= s1; d++, n += 2)
        side += bin.data[y * bin.width + x - d]! + bin.data[y * bin.width + x + d]!;
    if (n >= MIN_STRETCH_PX * 2 * (s1 - s0 + 1)) sideInk = Math.max(sideInk, side / n);
  }
  const gapShare = dash > 0 ? inGap / dash : 0;
  // It crosses a row line (a text column ends inside its row); an end not near a row line is where a
  // lost row rule ran (the header row under 申请人情况).
  const crosses = rows.some((y) => y > from + snap / 4 && y < to - snap / 4);
  const kept = crosses && gapShare >= MIN_GAP_SHARE && sideInk <= MAX_SIDE_INK;
  return { at, from: top ?? from, to: bottom ?? to, gapShare, sideInk, kept };
}
