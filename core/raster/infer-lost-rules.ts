import type { Segment } from '../model/index.js';
import type { Grid } from '../tables/grid.js';
import { latticeToPixels, pxToPt, type BinaryRaster } from './raster.js';

/** Text is looked for this far (inches) inside a band's rules and a column's rules: clear of rule blur. */
export const RULE_CLEARANCE_INCHES = 0.03;
/** Horizontal ink runs this long (inches) are pieces of a lost rule, not writing (a CJK stroke is < 0.12 in). */
const RULE_PIECE_INCHES = 0.15;
/** A pixel row with at most this many ink pixels in a column is blank there (fax specks). */
const SPECK_PX = 2;
/**
 * A blank band this tall (inches) across the table separates two rows: the padding above and below a
 * row's text and the lost rule (0.16–0.21 in on the standard-mode dev faxes) rather than the leading
 * inside a wrapped label (0.07–0.1 in there: glyphs lose their horizontal strokes at 98 lines an inch
 * and look shorter, the gaps between them taller).
 */
const MIN_ROW_GAP_INCHES = 0.125;
/**
 * A lower bound (inches) for a gap where a vertical rule of the table ends or starts: that end is
 * where a rule ran across (a caption row spanning the table, 0.09 in from the header under it).
 */
const MIN_CAPPED_GAP_INCHES = 0.05;
/**
 * A narrower gap, down to this (inches), separates two rows when at least MIN_STACKED_COLUMNS and
 * STACKED_SHARE of the written columns hold writing on both sides of it: a row of numbers above
 * another in each value column, labels beside them (洪泽区 standard, page 4: 3.补正后… and （五）'s
 * 1. and 2. in one band, gaps 0.098–0.123 in, every column stacked), one of them a row label's
 * (labelBeside). A wrapped label's leading has numbers across it (centred on the label) or none
 * beside it; two-line header words (表四's 结果 / 维持) leave 0.064–0.11 in, in columns of one width.
 */
const MIN_STACKED_GAP_INCHES = 0.092;
const MIN_STACKED_COLUMNS = 3;
const STACKED_SHARE = 0.75;
const LABEL_WIDTH_RATIO = 2.5;
/**
 * A line of writing in the left columns alone is a row of its own (a caption) when blank gaps this
 * tall (inches) lie above and below it: 0.36–0.38 in on 淮安市's standard-mode 表二; the first line of
 * a wrapped label has 0.12 in under it before its second line on 淮安市's fine-mode 表三.
 */
const LONE_LINE_GAP_INCHES = 0.2;
/** Ink this short (inches) between blank rows in a column is a dash left of a lost rule, not writing. */
const MAX_BLIP_INCHES = 0.035;
/** A vertical rule this close (points) to a column line of the lattice lies on it (the lattice's edge tolerance). */
const COLUMN_TOL_PT = 2.5;
/** Rows made up need text at least this tall (inches) on both sides of the gap: not a speck line at a band's edge. */
const MIN_TEXT_INCHES = 0.05;

/**
 * Fax standard mode (98 lines an inch) keeps a thin horizontal rule only where it happened to fall on
 * a scan line: most of a table's row rules are lost, or left as dashes no rule search can trust,
 * while its vertical rules survive whole. A lattice built from what is left has bands several rows
 * tall. This puts back a rule across a band wherever a clear blank gap runs through every column that
 * holds writing there (text rows of one table row never leave such a gap: numbers are centred on
 * wrapped labels). Columns on the left whose writing crosses the gap (a group label spanning rows)
 * are left without the rule, so their cell spans the new rows as printed.
 *
 * Returns the grid with the made-up rules added, or the same grid when no band needed one.
 */
export function inferLostRules(
  bin: BinaryRaster,
  grid: Grid,
  dpi: number,
  segments: readonly Segment[],
  standard = false,
): Grid {
  const px = latticeToPixels(bin, dpi);
  const clear = Math.max(2, Math.round(RULE_CLEARANCE_INCHES * bin.dpi));
  const minGap = MIN_ROW_GAP_INCHES * bin.dpi;
  const minCapped = MIN_CAPPED_GAP_INCHES * bin.dpi;
  const minStacked = MIN_STACKED_GAP_INCHES * bin.dpi;
  const loneGap = LONE_LINE_GAP_INCHES * bin.dpi;
  // Pixel rows where a vertical rule of the table ends: a rule crossed there.
  const ends = grid.vLines.flatMap((l) => [px(l.from), px(l.to)]);
  const minText = MIN_TEXT_INCHES * bin.dpi;
  const cols = grid.colAnchors.map(px);
  // Standard mode: vertical rules the lattice has no column line for (a column rule found only in
  // pieces, 洪泽区 2024 standard 表四's 其他结果 | 尚未审结) are no writing, or no gap crosses them.
  // (Fine-mode pages keep their rules; there it moved or dropped rows of three tables.)
  const rules = standard
    ? segments
        .filter((s) => s.axis === 'v' && !grid.colAnchors.some((x) => Math.abs(x - s.at) <= COLUMN_TOL_PT))
        .map((s) => Math.round(px(s.at)))
    : [];
  const added: Segment[] = [];
  for (let r = 0; r + 1 < grid.rowAnchors.length; r++) {
    const y0 = px(grid.rowAnchors[r]!) + clear;
    const y1 = px(grid.rowAnchors[r + 1]!) - clear;
    if (y1 - y0 < 2 * minText + minCapped) continue;
    // blank[c][y - y0]: column c holds no writing on pixel row y.
    const blip = Math.round(MAX_BLIP_INCHES * bin.dpi);
    const blank = cols
      .slice(1)
      .map((x1, c) => clearBlips(blankRows(bin, cols[c]! + clear, x1 - clear, y0, y1, RULE_PIECE_INCHES, rules), blip));
    const written = blank.map((b) => b.some((v) => !v));
    const rule = (g: { from: number; to: number }): boolean => {
      const h = g.to - g.from;
      if (h >= minGap) return true;
      if (h < minCapped) return false;
      if (ends.some((e) => e >= g.from + y0 - clear && e <= g.to + y0 + clear)) return true;
      const both = stacked(blank, g);
      return (
        h >= minStacked &&
        both.length >= MIN_STACKED_COLUMNS &&
        both.length >= STACKED_SHARE * written.filter(Boolean).length &&
        labelBeside(both, cols)
      );
    };
    for (const gap of gapsIn(blank, written, rule, minCapped, minText, loneGap, minGap)) {
      const y = gap.at + y0;
      const from = grid.colAnchors[gap.firstCol]!;
      const to = grid.colAnchors[grid.colAnchors.length - 1]!;
      added.push({ axis: 'h', at: pxToPt((y * dpi) / bin.dpi, dpi), from, to });
    }
  }
  if (added.length === 0) return grid;
  const rowAnchors = [...grid.rowAnchors, ...added.map((s) => s.at)].sort((a, b) => a - b);
  return {
    ...grid,
    rowAnchors,
    hLines: [...grid.hLines, ...added],
    vLines: [...grid.vLines, ...inner(grid, segments)],
  };
}

/** Columns (indices) with writing both above and below the blank run [from, to) of a band. */
function stacked(blank: readonly (readonly boolean[])[], g: { from: number; to: number }): number[] {
  return blank.flatMap((b, c) => (b.slice(0, g.from).some((v) => !v) && b.slice(g.to).some((v) => !v) ? [c] : []));
}

/**
 * Among the stacked columns one is a row label's: LABEL_WIDTH_RATIO times as wide as the median of
 * them (表三's label column beside its seven number columns). Two-line header words sit in columns
 * of one width (表四's 结果 / 维持 in all fifteen).
 */
function labelBeside(columns: readonly number[], edges: readonly number[]): boolean {
  const widths = columns.map((c) => edges[c + 1]! - edges[c]!);
  const median = [...widths].sort((a, b) => a - b)[Math.floor(widths.length / 2)]!;
  return widths.some((w) => w >= LABEL_WIDTH_RATIO * median);
}

/**
 * Vertical rules inside the table on one of its column lines that the lattice left out: they touched
 * no surviving row rule (the column rules of a band whose row rules were all lost). Without them the
 * cells of the new rows would span the whole band.
 */
function inner(grid: Grid, segments: readonly Segment[]): Segment[] {
  const { box } = grid;
  return segments
    .filter(
      (s) =>
        s.axis === 'v' &&
        s.to > box.y0 &&
        s.from < box.y1 &&
        grid.colAnchors.some((x) => Math.abs(x - s.at) <= COLUMN_TOL_PT) &&
        !grid.vLines.some((l) => Math.abs(l.at - s.at) <= COLUMN_TOL_PT && l.from <= s.from && l.to >= s.to),
    )
    .map((s) => ({ ...s, from: Math.max(s.from, box.y0), to: Math.min(s.to, box.y1) }));
}

/**
 * Per pixel row of [y0, y1): true when columns x0…x1 hold no writing (specks and rule pieces, runs of
 * at least `pieceInches`, ignored; so are the pixels within 3 of the vertical rules at `skipXs`).
 */
export function blankRows(
  bin: BinaryRaster,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  pieceInches = RULE_PIECE_INCHES,
  skipXs: readonly number[] = [],
): boolean[] {
  const piece = pieceInches * bin.dpi;
  const skip = new Set(skipXs.flatMap((x) => [x - 3, x - 2, x - 1, x, x + 1, x + 2, x + 3]));
  const out: boolean[] = [];
  for (let y = y0; y < y1; y++) {
    let ink = 0;
    let run = 0;
    for (let x = Math.max(0, x0), i = y * bin.width + x; x < Math.min(bin.width, x1); x++, i++) {
      if (bin.data[i] && !skip.has(x)) run++;
      else {
        if (run < piece) ink += run;
        run = 0;
      }
    }
    if (run < piece) ink += run;
    out.push(ink <= SPECK_PX);
  }
  return out;
}

/**
 * A column's pixel rows with blips of ink taken out: at most `blip` rows tall with at least as many
 * blank rows above and below. The dashes a lost rule leaves at 98 lines an inch (a scan line that
 * caught part of it, smoothed to 4–6 rows) sit in the gap between two rows; writing is taller.
 */
function clearBlips(blank: readonly boolean[], blip: number): boolean[] {
  const out = blank.slice();
  const clearAt = (a: number, b: number): boolean => {
    for (let y = Math.max(0, a); y < Math.min(blank.length, b); y++) if (!blank[y]) return false;
    return true;
  };
  for (let y = 0; y < blank.length;) {
    if (blank[y]) {
      y++;
      continue;
    }
    let to = y;
    while (to < blank.length && !blank[to]) to++;
    if (to - y <= blip && y > 0 && to < blank.length && clearAt(y - blip, y) && clearAt(to, to + blip))
      out.fill(true, y, to);
    y = to;
  }
  return out;
}

/** A blank run of pixel rows [from, to), the rule put at row `at`, across columns `firstCol` to the right edge. */
interface Gap {
  readonly from: number;
  readonly to: number;
  readonly at: number;
  readonly firstCol: number;
}

/**
 * Where in the blank run [y, to) the rule crosses the most columns: labels and numbers of a row are
 * not the same height, so the run's edges are blank in fewer columns than its middle.
 */
function widest(from: readonly number[], y: number, to: number): { at: number; firstCol: number } {
  let firstCol = Infinity;
  for (let i = y; i < to; i++) firstCol = Math.min(firstCol, from[i]!);
  let a = y;
  while (from[a] !== firstCol) a++;
  let b = a;
  while (b < to && from[b] === firstCol) b++;
  return { at: (a + b) / 2, firstCol };
}

/**
 * A line of writing only in the left columns, between two clear gaps (at least `minGap` rows each,
 * blank from the same column on; `edgeGap` for one reaching the band's edge), is a row of its own: a caption over a mini-table (表二's 第二十条第
 * （五）项, one cell across, its other columns blank). Its rows become writing (-1 in `from`), so the
 * gaps above and below it are two rules rather than one run that reaches the band's edge. A group
 * label spanning rows stands in a gap between two value rows instead, and leaves no clear gap beside it.
 */
function splitAtLoneLines(from: number[], minGap: number, edgeGap: number, minText: number): void {
  const n = from.length;
  const stretches: { value: number; start: number; end: number }[] = [];
  for (let y = 0; y < from.length; y++) {
    const last = stretches[stretches.length - 1];
    if (last && last.value === from[y]) last.end = y + 1;
    else stretches.push({ value: from[y]!, start: y, end: y + 1 });
  }
  // The band's edge is a rule: a gap reaching it needs only a row gap's height.
  const clear = (i: number, m: number): boolean => {
    const s = stretches[i];
    const edge = s?.start === 0 || s?.end === n;
    return s?.value === m && s.end - s.start >= (edge ? edgeGap : minGap);
  };
  for (let i = 0; i < stretches.length; i++) {
    const m = stretches[i]!.value;
    if (m < 0 || !clear(i, m)) continue;
    let j = i + 1;
    while (j < stretches.length && stretches[j]!.value > m) j++;
    if (j === i + 1 || !clear(j, m)) continue;
    const [a, b] = [stretches[i + 1]!.start, stretches[j - 1]!.end];
    if (b - a >= minText) from.fill(-1, a, b);
    i = j - 1;
  }
}

/**
 * Blank runs of pixel rows (offsets from the band's top) that cross every written column from some
 * column to the right edge that `isRule` accepts, with at least `minText` rows of writing between
 * them and the next such run (or the band's edge) on both sides. `firstCol` is the leftmost column of
 * that stretch; at least half the written columns must lie in it.
 */
function gapsIn(
  blank: readonly boolean[][],
  written: readonly boolean[],
  isRule: (gap: { from: number; to: number }) => boolean,
  minGap: number,
  minText: number,
  loneGap: number,
  rowGap: number,
): Gap[] {
  const n = blank[0]?.length ?? 0;
  const writtenCount = written.filter(Boolean).length;
  // The leftmost column c such that every written column from c rightwards is blank at y, or -1
  // when fewer than half the written columns are in that stretch (y runs through writing).
  const gapFrom = (y: number): number => {
    let c = blank.length;
    while (c > 0 && (!written[c - 1] || blank[c - 1]![y])) c--;
    let k = 0;
    for (let j = c; j < written.length; j++) if (written[j]) k++;
    return k > 0 && 2 * k >= writtenCount ? c : -1;
  };
  const from = Array.from({ length: n }, (_, y) => gapFrom(y));
  splitAtLoneLines(from, loneGap, rowGap, minText);
  const runs: Gap[] = [];
  for (let y = 0; y < n;) {
    if (from[y]! < 0) {
      y++;
      continue;
    }
    let to = y;
    while (to < n && from[to]! >= 0) to++;
    if (to - y >= minGap && isRule({ from: y, to })) runs.push({ from: y, to, ...widest(from, y, to) });
    y = to;
  }
  const textRows = (a: number, b: number): number => {
    let k = 0;
    for (let y = a; y < b; y++) if (from[y]! < 0) k++;
    return k;
  };
  // Two gaps with less than a line of writing between them are one: the ink is a dash the lost rule
  // left (淮安市 standard 表二, 0.044 in between 行政处罚 and 行政强制), and the rule goes through it.
  const merged: Gap[] = [];
  for (const g of runs) {
    const last = merged[merged.length - 1];
    if (last && textRows(last.to, g.from) < minText)
      merged[merged.length - 1] = {
        from: last.from,
        to: g.to,
        at: (last.to + g.from) / 2,
        firstCol: Math.min(last.firstCol, g.firstCol),
      };
    else merged.push(g);
  }
  return merged.filter((g, i) => {
    const above = textRows(i > 0 ? merged[i - 1]!.to : 0, g.from);
    const below = textRows(g.to, i + 1 < merged.length ? merged[i + 1]!.from : n);
    return above >= minText && below >= minText;
  });
}
