import type { Segment } from '../model/index.js';
import { ptToPx, type BinaryRaster, type Raster } from './raster.js';

/**
 * Page curl of a photographed sheet: an edge lifting off the desk bends the rules near it, which a
 * homography (correct-perspective) cannot straighten. Near the curling edge the horizontal rules
 * lean a degree or two and drift a few pixels off their line; the side-band and collinearity tests
 * of the rule finder then drop them and the cells of the last column merge down the table (a
 * photographed 表三 at 300 dpi came out 22 × 10 for 26 × 10, its total column read as one number).
 *
 * The curl is modelled as a vertical shift that depends on x only (a sheet bowing about an axis
 * across it, the usual cylinder model of page dewarping): every horizontal rule is followed along
 * its ink from its middle to both ends, the drift of each from its own level is taken per column,
 * the median over the rules is the page's shift, and each column is moved back by it. Written here
 * because no library on the npm registry dewarps a ruled page; the rules are the evidence.
 */

/** Rules at least this long (inches) are followed: table-wide rules, not the underline of a word. */
const MIN_RULE_INCHES = 1;
/** Fewer rules than this followed: no evidence of a curl, the page is left alone. */
const MIN_RULES = 3;
/** A rule is followed across gaps (columns with no ink near it) up to this long (inches). */
const MAX_GAP_INCHES = 0.04;
/** Half-height of the window searched for the rule in the next column (pixels past half its thickness). */
const SEARCH_PX = 2;
/** A column's shift is kept when at least this share of the rules covering the page reach it. */
const MIN_SUPPORT = 0.3;
/** Shifts are smoothed over this width (inches): glyphs touching a rule pull single columns. */
const SMOOTH_INCHES = 0.06;
/** Below this largest shift (inches) the rules are straight enough: the lattice's tolerance takes it. */
const MIN_CURL_INCHES = 0.006;
/** Above this the "curl" is a misfit (a rule followed into text), and the page is left alone. */
const MAX_CURL_INCHES = 0.3;

/**
 * The vertical shift (pixels) per column that straightens the horizontal rules of `segments`
 * (PDF points of `bin`): output (x, y) takes input (x, y + shift[x]). Null when the rules are
 * already straight or the evidence is thin.
 */
export function estimateCurl(bin: BinaryRaster, segments: readonly Segment[]): Float32Array | null {
  const { width: w, dpi } = bin;
  const rules = segments
    .filter((s) => s.axis === 'h' && s.to - s.from >= MIN_RULE_INCHES * 72)
    .map((s) => ({ at: ptToPx(s.at, dpi), from: ptToPx(s.from, dpi), to: ptToPx(s.to, dpi) }));
  if (rules.length < MIN_RULES) return null;
  const drifts = rules.map((r) => followRule(bin, r.at, Math.round((r.from + r.to) / 2)));
  const shift = new Float32Array(w);
  const known = new Uint8Array(w);
  const column: number[] = [];
  for (let x = 0; x < w; x++) {
    column.length = 0;
    for (const d of drifts) if (!Number.isNaN(d[x]!)) column.push(d[x]!);
    if (column.length < Math.max(MIN_RULES, MIN_SUPPORT * rules.length)) continue;
    column.sort((a, b) => a - b);
    shift[x] = column[column.length >> 1]!;
    known[x] = 1;
  }
  const first = known.indexOf(1);
  if (first < 0) return null;
  const last = known.lastIndexOf(1);
  // Columns without evidence (margins, gaps) take their nearest known neighbour's shift.
  for (let x = first + 1; x <= last; x++) if (!known[x]) shift[x] = shift[x - 1]!;
  shift.fill(shift[first]!, 0, first);
  shift.fill(shift[last]!, last + 1);
  const smooth = movingMean(shift, Math.max(1, Math.round((SMOOTH_INCHES * dpi) / 2)));
  let peak = 0;
  for (const v of smooth) peak = Math.max(peak, Math.abs(v));
  return peak >= MIN_CURL_INCHES * dpi && peak <= MAX_CURL_INCHES * dpi ? smooth : null;
}

/**
 * Follows the rule lying at `at` from column `x0` to both ends of its ink: per column, how far
 * its centre lies from its median level (NaN where it was not followed).
 */
function followRule(bin: BinaryRaster, at: number, x0: number): Float32Array {
  const { width: w, height: h, data } = bin;
  const out = new Float32Array(w).fill(Number.NaN);
  const maxGap = Math.max(2, Math.round(MAX_GAP_INCHES * bin.dpi));
  const thick = thicknessAt(bin, at, x0);
  const reach = Math.ceil(thick / 2) + SEARCH_PX;
  for (const step of [1, -1]) {
    let y = at;
    let gap = 0;
    for (let x = x0; x >= 0 && x < w && gap <= maxGap; x += step) {
      let n = 0;
      let sum = 0;
      for (let yy = Math.max(0, Math.round(y) - reach), end = Math.min(h - 1, Math.round(y) + reach); yy <= end; yy++)
        if (data[yy * w + x]) {
          n++;
          sum += yy;
        }
      // A full window is a crossing rule or a glyph on the rule: it says nothing about the level.
      if (n === 0 || n > thick + 2) {
        gap++;
        continue;
      }
      gap = 0;
      y = sum / n;
      out[x] = y;
    }
  }
  const levels = [...out].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const level = levels[levels.length >> 1] ?? at;
  for (let x = 0; x < w; x++) out[x] = out[x]! - level;
  return out;
}

/** Ink pixels of the column `x` within a few pixels of `at`: the rule's thickness there. */
function thicknessAt(bin: BinaryRaster, at: number, x: number): number {
  let n = 0;
  const y0 = Math.round(at);
  for (let y = Math.max(0, y0 - 4); y <= Math.min(bin.height - 1, y0 + 4); y++) n += bin.data[y * bin.width + x]!;
  return Math.max(1, n);
}

function movingMean(v: Float32Array, half: number): Float32Array {
  const out = new Float32Array(v.length);
  let sum = 0;
  let n = 0;
  for (let x = 0; x < Math.min(v.length, half); x++, n++) sum += v[x]!;
  for (let x = 0; x < v.length; x++) {
    if (x + half < v.length) {
      sum += v[x + half]!;
      n++;
    }
    if (x - half - 1 >= 0) {
      sum -= v[x - half - 1]!;
      n--;
    }
    out[x] = sum / n;
  }
  return out;
}

/** The gray page with each column moved by its shift (linear between rows); uncovered pixels white. */
export function uncurlRaster(src: Raster, shift: Float32Array): Raster {
  const { width: w, height: h, data } = src;
  const out = new Uint8Array(w * h).fill(255);
  for (let x = 0; x < w; x++) {
    const s = shift[x]!;
    const whole = Math.floor(s);
    const f = s - whole;
    for (let y = 0; y < h; y++) {
      const sy = y + whole;
      if (sy < 0 || sy + 1 >= h) continue;
      out[y * w + x] = Math.round(data[sy * w + x]! * (1 - f) + data[(sy + 1) * w + x]! * f);
    }
  }
  return { ...src, data: out };
}

/** The binary page with each column moved by its shift (nearest row: ink stays 0/1). */
export function uncurlBinary(src: BinaryRaster, shift: Float32Array): BinaryRaster {
  const { width: w, height: h, data } = src;
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    const s = Math.round(shift[x]!);
    for (let y = Math.max(0, -s); y < Math.min(h, h - s); y++) out[y * w + x] = data[(y + s) * w + x]!;
  }
  return { ...src, data: out };
}
