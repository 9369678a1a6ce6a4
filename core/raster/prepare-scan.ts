import type { Rotation } from '../model/index.js';
import { binarizeSauvola } from './binarize-sauvola.js';
import { deskewRaster, shrinkRaster } from './deskew-raster.js';
import { collectInk, estimateSkew } from './estimate-skew.js';
import { measureTextDirection } from './measure-text-direction.js';
import { measureUpright } from './measure-upright.js';
import { applyLut, contrastLut } from './normalize-contrast.js';
import { rotateRightAngle, type BinaryRaster, type Raster } from './raster.js';

/** Page analysis (orientation, skew) runs at about this resolution: text lines stay apart, cost is ≈ 1/9. */
const ANALYSIS_DPI = 100;
/** Never shrink the analysis image below this many pixels a side (small images with a guessed 300 dpi). */
const MIN_ANALYSIS_PX = 600;
/** Text columns must beat text rows by this factor before a page counts as sideways: upright is the default. */
const SIDEWAYS_MARGIN = 1.15;
/** Text lines this much heavier below their middle than above mean the page is upside down (upright dev scan pages: 0.57–1.10 but one at 1.37). */
const UPSIDE_DOWN_RATIO = 1.25;
/** Skews below this are left alone: a 2500-px line drifts < 2 px, inside any tolerance downstream. */
const MIN_DESKEW_DEG = 0.04;

/**
 * Scores an upright candidate of the page (higher = more likely the right way up), e.g. the mean
 * OCR confidence of a text strip. Called with each of the two candidates (0/180 or 90/270).
 */
export type UprightScorer = (candidate: Raster) => Promise<number>;

export interface PrepareOptions {
  /** Decides 0 vs 180 (and 90 vs 270), e.g. from OCR confidence. Without it: 0, and 90 vs 270 by `measureUpright` (see prepareScan). */
  readonly scoreUpright?: UprightScorer;
  /** Default true. */
  readonly deskew?: boolean;
}

export interface PreparedScan {
  /** Upright, deskewed, contrast-normalised gray pixels: crop OCR input from here. */
  readonly raster: Raster;
  /** Sauvola binarisation of `raster` (1 = ink). */
  readonly binary: BinaryRaster;
  /** Clockwise rotation applied to make the page upright. */
  readonly rotation: Rotation;
  /** Clockwise skew found after rotation (and undone when deskewing). */
  readonly skewDeg: number;
  /** Rows-vs-columns evidence before rotation (text-run direction × projection energy): > 1 text runs horizontally, < 1 sideways. */
  readonly orientationEvidence: number;
  /** measureUpright of the 90° candidate of a sideways page when no scorer was given (> UPSIDE_DOWN_RATIO chose 270°); null otherwise. */
  readonly uprightEvidence: number | null;
}

/**
 * Prepares a scanned page for table finding and OCR: contrast normalisation, orientation
 * (0 vs 90 from the direction text runs in; 0 vs 180 from `scoreUpright`), deskew by projection-profile
 * search, Sauvola binarisation. Cheap default without a scorer: 0 for pages lying the long way of
 * their text; sideways pages turn 90° clockwise (how a landscape page goes through a portrait
 * scanner) unless their text lines are clearly heavier below their middle than above it at 90°
 * (measureUpright > UPSIDE_DOWN_RATIO), then 270°.
 */
export async function prepareScan(src: Raster, options: PrepareOptions = {}): Promise<PreparedScan> {
  const lut = contrastLut(src);
  const factor = Math.max(1, Math.floor(Math.min(src.dpi / ANALYSIS_DPI, Math.min(src.width, src.height) / MIN_ANALYSIS_PX)));
  // Shrinking is a box filter and the stretch is monotonic: stretching after shrinking is close enough for analysis.
  const smallGray = applyLut(await shrinkRaster(src, factor), lut);
  const small = binarizeSauvola(smallGray);
  // Two independent rows-vs-columns ratios multiplied (their logs add): smeared text runs, which
  // read dense digit tables right, and text-row projection energy, which reads sideways tables
  // whose labels are set vertically right.
  const ink = collectInk(small);
  const rows = estimateSkew(ink, 'h', 'text', false).energy;
  const cols = estimateSkew(ink, 'v', 'text', false).energy;
  const orientationEvidence = measureTextDirection(small) * (cols > 0 ? rows / cols : 1);
  const sideways = orientationEvidence * SIDEWAYS_MARGIN < 1;
  const candidates: [Rotation, Rotation] = sideways ? [90, 270] : [0, 180];
  // Turning by 180° keeps the skew angle, so one estimate serves both candidates.
  const skewDeg =
    options.deskew === false ? 0 : estimateSkew(sideways ? collectInk(rotateRightAngle(small, candidates[0])) : ink, 'h', 'all').skewDeg;
  let rotation = candidates[0];
  let uprightEvidence: number | null = null;
  if (options.scoreUpright) rotation = await chooseRotation(applyLut(src, lut), candidates, options.scoreUpright);
  else if (sideways) {
    // Only sideways pages: 0 is by far the likeliest way a page lies, and the cheap measure misread
    // 1 of 138 upright dev pages (a short last page); 90 against 270 has no such prior.
    uprightEvidence = measureUpright(binarizeSauvola(deskewRaster(rotateRightAngle(smallGray, candidates[0]), skewDeg)));
    if (uprightEvidence > UPSIDE_DOWN_RATIO) rotation = candidates[1];
  }
  const upright = rotateRightAngle(src, rotation);
  const raster = Math.abs(skewDeg) >= MIN_DESKEW_DEG ? deskewRaster(upright, skewDeg, lut ?? undefined) : applyLut(upright, lut);
  return { raster, binary: binarizeSauvola(raster), rotation, skewDeg, orientationEvidence, uprightEvidence };
}

async function chooseRotation(page: Raster, candidates: readonly [Rotation, Rotation], score: UprightScorer): Promise<Rotation> {
  const [first, second] = candidates;
  const a = await score(rotateRightAngle(page, first));
  const b = await score(rotateRightAngle(page, second));
  return b > a ? second : first;
}
