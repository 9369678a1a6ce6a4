import type { Segment } from '../model/index.js';
import { linkRuns } from './link-runs.js';
import { pxToPt, transpose, type BinaryRaster } from './raster.js';

/** A rule needs this length (inches): longer than a 14-pt glyph stroke, shorter than one table row. */
const MIN_RULE_INCHES = 0.2;
/** Thicker than this (inches, ≈ 2.2 pt) is a filled bar or a blob of text, not a ruling line. */
const MAX_RULE_INCHES = 0.03;
/**
 * On a standard-mode fax page (98 lines an inch, thresholded to 1 bit) every rule comes out bloated:
 * inner column rules 5–6 px at 204 dpi, a 1.5-pt border 6.2 px, past the limit above, so 表四's left
 * border was never found and its first column was lost (synth-1-2). ≈ 2.9 pt there.
 */
export const MAX_COARSE_RULE_INCHES = 0.04;
/** Gaps this short (inches) inside a run are bridged: fax dropouts and faint pixels in a rule. */
const RUN_GAP_INCHES = 0.02;
/** Collinear pieces this close across (inches) are one rule: residual skew, thickness, JPEG blur. */
const COLLINEAR_INCHES = 0.012;
/** Pieces of one rule with a gap up to this (inches, ≈ 9 pt — narrower than any text column) are joined. */
const JOIN_GAP_INCHES = 0.12;
/**
 * A hairline rule on a fax or a 1-bit scan breaks into dashes where it crosses from one scan line to
 * the next (its grey split between two lines, neither dark enough): pieces this short (inches) join
 * across gaps up to DASH_GAP_INCHES. 洪泽区's faxed 表三: 0.2–0.27-inch dashes 0.15–0.17 inch apart
 * on every row rule, so no row was found and the table's rows came out merged.
 */
const DASH_MAX_INCHES = 0.35;
const DASH_GAP_INCHES = 0.25;
/**
 * Dashes down to this length (inches) are kept as pieces of a rule (a 10.5-pt glyph's stroke is about
 * as long, so a dash survives only when joined into a rule of MIN_RULE_INCHES or more), when at most
 * DASH_THICK_INCHES thick (a hairline, thinner than a glyph's stroke).
 */
const DASH_MIN_INCHES = 0.1;
const DASH_THICK_INCHES = 0.012;
/** Side bands are probed this far (inches) beyond the rule's edge: clear of its blur, inside a glyph. */
const SIDE_OFFSET_INCHES = 0.012;
/** A rule has paper on both sides; a glyph stroke has its other strokes there (Chinese text strokes line up into long runs). */
const MAX_SIDE_INK = 0.25;
/** A perpendicular rule this close (inches) to a piece's end closes it: the border of a table. */
const CAP_INCHES = 0.03;

/** A ruling line found in pixels: `at` across the line, `from`–`to` along it, thickness in pixels. */
export interface RasterLine {
  readonly axis: 'h' | 'v';
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly thickness: number;
}

/**
 * Horizontal and vertical ruling lines of a binary page: long ink runs (a 1-D morphological
 * opening with gap bridging), linked row to row into line bodies, filtered by length and
 * thickness, with broken collinear pieces joined. Vertical lines reuse the horizontal pass on the
 * transposed image. Coordinates are pixels of `bin`.
 *
 * `more` are other binarisations of the same page (the darkest colour channel): their lines are
 * pooled before joining, so a rule shows up if it is clear in any of them. Pooling lines rather
 * than OR-ing the images keeps a red stamp, dark in the colour channel, from hiding the black
 * rule under it (a rule with ink beside it is refused), while the red channel still shows it.
 *
 * `dashes` (a fax page): pieces of horizontal hairlines down to DASH_MIN_INCHES are kept, and pieces
 * shorter than DASH_MAX_INCHES (of either axis) join across DASH_GAP_INCHES (DASH_* below).
 */
export interface FindLinesOptions {
  /** Thickest line taken for a rule (a standard-mode fax's threshold bloats a border). */
  readonly maxThickInches?: number;
  /** A fax page: join the dashes its hairlines broke into (see below). */
  readonly dashes?: boolean;
}

export function findRasterLines(
  bin: BinaryRaster,
  more: readonly BinaryRaster[] = [],
  { maxThickInches = MAX_RULE_INCHES, dashes = false }: FindLinesOptions = {},
): RasterLine[] {
  const h: RasterLine[] = [];
  const v: RasterLine[] = [];
  for (const b of [bin, ...more]) {
    h.push(...findAlong(b.data, b.width, b.height, b.dpi, dashes ? 'dashed' : 'h', maxThickInches));
    v.push(...findAlong(transpose(b.data, b.width, b.height), b.height, b.width, b.dpi, 'v', maxThickInches));
  }
  const across = COLLINEAR_INCHES * bin.dpi;
  const gaps: JoinGaps = {
    solid: JOIN_GAP_INCHES * bin.dpi,
    dash: (dashes ? DASH_GAP_INCHES : JOIN_GAP_INCHES) * bin.dpi,
    dashMax: DASH_MAX_INCHES * bin.dpi,
  };
  const cap = CAP_INCHES * bin.dpi;
  // Dashes that joined nothing (or too little) are not rules.
  const minLen = Math.round(MIN_RULE_INCHES * bin.dpi);
  return [...joinCollinear(h, v, across, gaps, cap), ...joinCollinear(v, h, across, gaps, cap)].filter(
    (l) => l.to - l.from + 1 >= minLen,
  );
}

/** Raster lines → PDF-point segments (pt = px · 72 / dpi) for the shared grid builder. */
export function linesToSegments(lines: readonly RasterLine[], dpi: number): Segment[] {
  return lines.map((l) => ({
    axis: l.axis,
    at: pxToPt(l.at, dpi),
    from: pxToPt(l.from, dpi),
    to: pxToPt(l.to + 1, dpi),
  }));
}

/** `dashed`: horizontal rules of a fax page, whose hairlines broke into dashes along the scan lines. */
function findAlong(
  data: Uint8Array,
  w: number,
  h: number,
  dpi: number,
  along: 'h' | 'v' | 'dashed',
  maxThickInches: number,
): RasterLine[] {
  const axis = along === 'v' ? 'v' : 'h';
  const minLen = Math.round(MIN_RULE_INCHES * dpi);
  // Only rules along the scan lines break into dashes (a vertical hairline crosses every line); vertical
  // strokes of a column of text would chain into false rules.
  const dashLen = along === 'dashed' ? Math.round(DASH_MIN_INCHES * dpi) : minLen;
  const gap = Math.max(1, Math.round(RUN_GAP_INCHES * dpi));
  const maxThick = Math.max(2, maxThickInches * dpi);
  const dashThick = Math.max(1.5, DASH_THICK_INCHES * dpi);
  const lines: RasterLine[] = [];
  for (const b of linkRuns(data, w, h, dashLen, gap, 'extent')) {
    const len = b.to - b.from + 1;
    const thickness = b.n / len;
    if (thickness > (len < minLen ? dashThick : maxThick)) continue;
    const at = b.sy / b.n;
    const off = thickness / 2 + Math.max(2, SIDE_OFFSET_INCHES * dpi);
    if (
      Math.max(bandInk(data, w, h, Math.round(at - off), b), bandInk(data, w, h, Math.round(at + off), b)) >
      MAX_SIDE_INK
    )
      continue;
    lines.push({ axis, at, from: b.from, to: b.to, thickness });
  }
  return lines;
}

/** Share of ink in row `y` along the body's extent. */
function bandInk(data: Uint8Array, w: number, h: number, y: number, b: { from: number; to: number }): number {
  if (y < 0 || y >= h) return 0;
  let ink = 0;
  for (let i = y * w + b.from, end = y * w + b.to; i <= end; i++) ink += data[i]!;
  return ink / (b.to - b.from + 1);
}

/** True when a perpendicular rule crosses position `t` of a line lying at `at`. */
function capped(perpendicular: readonly RasterLine[], at: number, t: number, cap: number): boolean {
  return perpendicular.some((p) => Math.abs(p.at - t) <= cap && p.from - cap <= at && p.to + cap >= at);
}

/** Longest gap (pixels) joined between pieces of a rule, and between a piece and a dash of a broken hairline. */
interface JoinGaps {
  readonly solid: number;
  readonly dash: number;
  /** Pieces at most this long (pixels) are dashes. */
  readonly dashMax: number;
}

/**
 * Joins collinear pieces separated by short gaps (broken rules; dashes of a hairline, gaps.dash), except
 * where both sides of the gap end on a perpendicular rule: that is two tables stacked closely (or a
 * drawn missing edge), not a break.
 */
function joinCollinear(
  lines: readonly RasterLine[],
  perpendicular: readonly RasterLine[],
  across: number,
  gaps: JoinGaps,
  cap: number,
): RasterLine[] {
  const sorted = [...lines].sort((a, b) => a.at - b.at || a.from - b.from);
  const used = new Uint8Array(sorted.length);
  const out: RasterLine[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    let cur = sorted[i]!;
    used[i] = 1;
    // Repeat until nothing joins: pieces may chain from either end.
    for (let grown = true; grown;) {
      grown = false;
      for (let j = i + 1; j < sorted.length && sorted[j]!.at - cur.at <= across; j++) {
        const o = sorted[j]!;
        const gap = o.to - o.from < gaps.dashMax ? gaps.dash : gaps.solid;
        if (used[j] || Math.abs(o.at - cur.at) > across || o.from > cur.to + gap || o.to < cur.from - gap) continue;
        const [first, second] = o.from >= cur.from ? [cur, o] : [o, cur];
        if (
          second.from > first.to &&
          capped(perpendicular, first.at, first.to, cap) &&
          capped(perpendicular, second.at, second.from, cap)
        )
          continue;
        const lenA = cur.to - cur.from + 1;
        const lenB = o.to - o.from + 1;
        cur = {
          axis: cur.axis,
          at: (cur.at * lenA + o.at * lenB) / (lenA + lenB),
          from: Math.min(cur.from, o.from),
          to: Math.max(cur.to, o.to),
          thickness: Math.max(cur.thickness, o.thickness),
        };
        used[j] = 1;
        grown = true;
      }
    }
    out.push(cur);
  }
  return out;
}
