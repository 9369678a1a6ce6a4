import { findTiltedLines, type TiltedLine } from './find-tilted-lines.js';
import { homographyFromPoints, lineThrough, meet, type Homography } from './homography.js';
import type { BinaryRaster } from './raster.js';
import { fitFamily } from './vanishing-point.js';

/**
 * Correct only when some corner of the ruled area moves by more than this (inches): below it the
 * grid builder copes, and a flat-bed scan's line fits wobble by a few pixels (warping such a page
 * for nothing moved its crops and cost a dev scan a digit).
 */
const MIN_CORRECTION_INCHES = 0.08;
/**
 * …or more than this when the rules of one family visibly fan out (their tilts spread by at least
 * CLEAR_SPREAD_DEG): a photographed table a few columns wide keystones by only ≈ 0.06 in at its
 * corners, yet its outer rules lean 5° apart and the lattice split every column in two. A flat-bed
 * scan's rules are parallel to within a few tenths of a degree.
 */
const MIN_CLEAR_CORRECTION_INCHES = 0.03;
const CLEAR_SPREAD_DEG = 1.5;
/**
 * …or more than this when they fan out by STRONG_SPREAD_DEG: a photographed 表四 only three rows
 * tall keystones by ≈ 0.02 in at its corners, yet its outer verticals lean 5° apart, and the outer
 * one, too slanted for the axis-parallel search, was lost with its column.
 */
const MIN_STRONG_CORRECTION_INCHES = 0.01;
const STRONG_SPREAD_DEG = 3;
/** A correction moving a corner by more than this share of the ruled area's size is a misfit, not a photo. */
const MAX_CORRECTION_SHARE = 0.2;

export interface PerspectiveFix {
  /** Maps output (rectified) pixels to source pixels: the inverse warp. */
  readonly toSource: Homography;
  /** Largest displacement of a corner of the ruled area (pixels). */
  readonly shiftPx: number;
  /** The rules the estimate rests on. */
  readonly lines: readonly TiltedLine[];
}

/**
 * Keystone of a photographed form: finds straight rule pieces at any tilt up to MAX_TILT_DEG,
 * fits one vanishing point per family (horizontal rules, vertical rules), and returns the
 * projective map that makes both families axis-parallel again, keeping the ruled area's centre
 * lines where they are. Null when the rules are already parallel (scans), when a family has too
 * few consistent rules, or when the fit is implausible.
 */
export function estimatePerspective(bin: BinaryRaster): PerspectiveFix | null {
  const lines = findTiltedLines(bin);
  const h = fitFamily(lines.filter((l) => l.axis === 'h'));
  const v = fitFamily(lines.filter((l) => l.axis === 'v'));
  if (!h || !v) return null;
  const used = [...h.lines, ...v.lines];
  const X0 = Math.min(...used.map((l) => Math.min(l.x0, l.x1)));
  const X1 = Math.max(...used.map((l) => Math.max(l.x0, l.x1)));
  const Y0 = Math.min(...used.map((l) => Math.min(l.y0, l.y1)));
  const Y1 = Math.max(...used.map((l) => Math.max(l.y0, l.y1)));
  const cx = (X0 + X1) / 2;
  const cy = (Y0 + Y1) / 2;
  // The quadrilateral bounded by the family lines through the area's edge midpoints goes to the
  // rectangle of the area: rules become axis-parallel, the scale at the centre stays about 1.
  const top = lineThrough(h.vp, [cx, Y0, 1]);
  const bottom = lineThrough(h.vp, [cx, Y1, 1]);
  const left = lineThrough(v.vp, [X0, cy, 1]);
  const right = lineThrough(v.vp, [X1, cy, 1]);
  const quad = [meet(top, left), meet(top, right), meet(bottom, right), meet(bottom, left)];
  if (quad.some((p) => p === null)) return null;
  const rect: [number, number][] = [
    [X0, Y0],
    [X1, Y0],
    [X1, Y1],
    [X0, Y1],
  ];
  const src = quad as [number, number][];
  const shiftPx = Math.max(...src.map((p, i) => Math.hypot(p[0] - rect[i]![0], p[1] - rect[i]![1])));
  const spread = Math.max(tiltSpreadDeg(h.lines, 'h'), tiltSpreadDeg(v.lines, 'v'));
  const minShift =
    spread >= STRONG_SPREAD_DEG
      ? MIN_STRONG_CORRECTION_INCHES
      : spread >= CLEAR_SPREAD_DEG
        ? MIN_CLEAR_CORRECTION_INCHES
        : MIN_CORRECTION_INCHES;
  if (shiftPx < minShift * bin.dpi) return null;
  if (shiftPx > MAX_CORRECTION_SHARE * Math.min(X1 - X0, Y1 - Y0)) return null;
  const toSource = homographyFromPoints(rect, src);
  return toSource ? { toSource, shiftPx, lines: used } : null;
}

/** Largest minus smallest tilt (degrees) of a family's rules against its axis. */
function tiltSpreadDeg(lines: readonly TiltedLine[], axis: 'h' | 'v'): number {
  const tilts = lines.map((l) =>
    axis === 'h' ? Math.atan2(l.y1 - l.y0, l.x1 - l.x0) : Math.atan2(l.x1 - l.x0, l.y1 - l.y0),
  );
  return ((Math.max(...tilts) - Math.min(...tilts)) * 180) / Math.PI;
}
