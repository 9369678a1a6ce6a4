import { forEachInkRun } from './ink-runs.js';
import type { BinaryRaster } from './raster.js';

/** Scans sit within a few degrees; phone photos of a page on a desk are often 10–15° off. */
export const MAX_SKEW_DEG = 15;
/**
 * Search steps, coarse to fine, each searched ±1 step around the previous optimum: at ≈ 100 dpi 0.5°
 * moves the end of a text line by ≈ 5 px (a third of a line height, inside the energy peak) and
 * 0.02° by ≈ 0.2 px.
 */
const STEPS_DEG = [0.5, 0.1, 0.02];
/** The search uses at most this many ink points (an even sample): the optimum does not move, the cost halves. */
const MAX_POINTS = 25_000;
/** Runs longer than this (inches) are ruling lines; orientation is judged on text alone. */
const RULE_RUN_INCHES = 0.5;
/**
 * Gaps this short (inches, at least 1 px) do not end a run: fax streaks from a dirty sensor and fax or
 * scan rules broken by dropouts are still lines, and unbridged they smear into one page-long "text"
 * column that turned upright fax pages sideways. Text lines have gaps far wider than this.
 */
const RULE_GAP_INCHES = 0.01;

export interface SkewEstimate {
  /** Clockwise skew of the content in degrees (rotate by −skewDeg to straighten). */
  readonly skewDeg: number;
  /** Peak projection energy: Σ (ink per projected row)², comparable between axes of one image. */
  readonly energy: number;
}

/** Ink coordinates of a (small) binary image, row by row. */
export interface InkPoints {
  readonly xs: Int32Array;
  readonly ys: Int32Array;
  readonly width: number;
  readonly height: number;
}

/** 1 where a pixel lies on a long horizontal or vertical ink run (a ruling line), else 0. */
export function ruleMask(bin: BinaryRaster): Uint8Array {
  const { width: w, height: h, data } = bin;
  const onRule = new Uint8Array(w * h);
  const minRun = Math.max(8, Math.round(RULE_RUN_INCHES * bin.dpi));
  const gap = Math.max(1, Math.round(RULE_GAP_INCHES * bin.dpi));
  // Only vertical runs bridge gaps: dropped fax scanlines cut vertical rules and streaks, while
  // bridging horizontally fused a dense grid's header glyphs with its rules and turned it sideways.
  markLongRuns(data, onRule, w, h, 1, w, minRun, 0);
  markLongRuns(data, onRule, h, w, w, 1, minRun, gap);
  return onRule;
}

export function collectInk(bin: BinaryRaster): InkPoints {
  const { width: w, height: h, data } = bin;
  let count = 0;
  for (let i = 0; i < data.length; i++) count += data[i]!;
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (data[y * w + x] !== 1) continue;
      xs[n] = x;
      ys[n++] = y;
    }
  }
  return { xs, ys, width: w, height: h };
}

/** Marks the ink of runs of ≥ minRun pixels, gaps ≤ `gap` bridged, along lines of `len` pixels (`step` apart; lines `lineStep` apart). */
function markLongRuns(
  data: Uint8Array,
  mark: Uint8Array,
  len: number,
  lines: number,
  step: number,
  lineStep: number,
  minRun: number,
  gap: number,
): void {
  for (let l = 0; l < lines; l++) {
    forEachInkRun(data, l * lineStep, step, len, gap, (from, to) => {
      if (to - from + 1 < minRun) return;
      for (let q = from, i = l * lineStep + from * step; q <= to; q++, i += step) if (data[i] === 1) mark[i] = 1;
    });
  }
}

/**
 * Projection-profile skew search: the angle at which ink projected along slanted rows is most
 * concentrated (text lines and rules collapse into few bins). `axis: 'v'` searches columns instead
 * (the same as rows of the transposed image). `refine: false` stops at the coarsest step (enough
 * when only the energy is wanted).
 */
export function estimateSkew(ink: InkPoints, axis: 'h' | 'v' = 'h', refine = true): SkewEstimate {
  const { xs, ys } = axis === 'h' ? { xs: ink.xs, ys: ink.ys } : { xs: ink.ys, ys: ink.xs };
  const along = axis === 'h' ? ink.width : ink.height;
  const across = axis === 'h' ? ink.height : ink.width;
  const pad = Math.ceil(along * Math.tan((MAX_SKEW_DEG * Math.PI) / 180)) + 2;
  const bins = new Int32Array(across + 2 * pad);
  const cx = along / 2;
  // The sampled points, gathered once for the ≈ 70 angles tried: offsets along (from the centre) and positions across.
  const n = xs.length;
  const stride = Math.max(1, Math.ceil(n / MAX_POINTS));
  const m = Math.ceil(n / stride);
  const dx = new Float64Array(m);
  const py = new Float64Array(m);
  for (let k = 0, j = 0; k < n; k += stride, j++) {
    dx[j] = xs[k]! - cx;
    py[j] = ys[k]!;
  }
  const energyAt = (deg: number): number => {
    bins.fill(0);
    const t = Math.tan((deg * Math.PI) / 180);
    // floor(v + 0.5) is Math.round(v) (ties up), and about three times faster here: V8 does not inline Math.round.
    for (let j = 0; j < m; j++) bins[Math.floor(py[j]! - dx[j]! * t + 0.5) + pad]!++;
    let e = 0;
    for (let b = 0; b < bins.length; b++) e += bins[b]! * bins[b]!;
    return e;
  };
  let best = { skewDeg: 0, energy: energyAt(0) };
  let lo = -MAX_SKEW_DEG;
  let hi = MAX_SKEW_DEG;
  for (const step of refine ? STEPS_DEG : STEPS_DEG.slice(0, 1)) {
    for (let d = lo; d <= hi + 1e-9; d += step) {
      const e = energyAt(d);
      if (e > best.energy) best = { skewDeg: d, energy: e };
    }
    // next level: ±1 step around this level's optimum
    lo = best.skewDeg - step;
    hi = best.skewDeg + step;
  }
  // For columns the sign flips: a clockwise-turned page slants its columns the other way.
  const skewDeg = Math.round((axis === 'h' ? best.skewDeg : -best.skewDeg) * 1000) / 1000;
  return { skewDeg, energy: best.energy };
}
