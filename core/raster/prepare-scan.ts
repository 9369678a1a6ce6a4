import type { Rotation } from '../model/index.js';
import { binarizeSauvola } from './binarize-sauvola.js';
import { deskewRaster, shrinkRaster } from './deskew-raster.js';
import { collectInk, estimateSkew } from './estimate-skew.js';
import { prepareLineChannel, type ColourRaster } from './line-channel.js';
import { measureTextDirection } from './measure-text-direction.js';
import { applyLut, contrastLut } from './normalize-contrast.js';
import { rotateRightAngle, type BinaryRaster, type Raster } from './raster.js';

/** Page analysis (orientation, skew) runs at about this resolution: text lines stay apart, cost is ≈ 1/9. */
const ANALYSIS_DPI = 100;
/** Never shrink the analysis image below this many pixels a side (small images with a guessed 300 dpi). */
const MIN_ANALYSIS_PX = 600;
/** Text columns must beat text rows by this factor before a page counts as sideways: upright is the default. */
const SIDEWAYS_MARGIN = 1.15;
/** Skews below this are left alone: a 2500-px line drifts < 2 px, inside any tolerance downstream. */
const MIN_DESKEW_DEG = 0.04;

/**
 * Scores an upright candidate of the page (higher = more likely the right way up), e.g. the mean
 * OCR confidence of a text strip. Called with each of the two candidates (0/180 or 90/270).
 */
export type UprightScorer = (candidate: Raster) => Promise<number>;

export interface PrepareOptions {
  /** Decides 0 vs 180 (and 90 vs 270), e.g. from OCR confidence. Without it: 0, or 90 for sideways pages. */
  readonly scoreUpright?: UprightScorer;
  /** Default true. */
  readonly deskew?: boolean;
}

export interface PreparedScan {
  /** Upright, deskewed, contrast-normalised gray pixels: crop OCR input from here. */
  readonly raster: Raster;
  /** Sauvola binarisation of `raster` (1 = ink). */
  readonly binary: BinaryRaster;
  /** Colour pages only: ink of the darkest channel in the same geometry, where coloured rules stay dark (line finding only). */
  readonly lineBinary?: BinaryRaster;
  /** Clockwise rotation applied to make the page upright. */
  readonly rotation: Rotation;
  /** Clockwise skew found after rotation (and undone when deskewing). */
  readonly skewDeg: number;
  /** Rows-vs-columns evidence before rotation (text-run direction × projection energy): > 1 text runs horizontally, < 1 sideways. */
  readonly orientationEvidence: number;
}

/**
 * Prepares a scanned page for table finding and OCR: contrast normalisation, orientation
 * (0 vs 90 from the direction text runs in; 0 vs 180 from `scoreUpright`), deskew by projection-profile
 * search, Sauvola binarisation. Default without a scorer: 0, and 90° clockwise for sideways pages
 * (how a landscape page goes through a portrait scanner). A pixel cue for 180° (ink above vs below
 * the middle of text lines) was tried and dropped: on the real sideways scans it pointed the wrong
 * way as often as the right one, and it misread an upright dev page. Upside-down needs OCR evidence.
 */
export async function prepareScan(src: ColourRaster, options: PrepareOptions = {}): Promise<PreparedScan> {
  const lut = contrastLut(src);
  const factor = Math.max(
    1,
    Math.floor(Math.min(src.dpi / ANALYSIS_DPI, Math.min(src.width, src.height) / MIN_ANALYSIS_PX)),
  );
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
    options.deskew === false
      ? 0
      : estimateSkew(sideways ? collectInk(rotateRightAngle(small, candidates[0])) : ink, 'h', 'all').skewDeg;
  const turned = rotateRightAngle(src, candidates[0]);
  const deskewDeg = Math.abs(skewDeg) >= MIN_DESKEW_DEG ? skewDeg : 0;
  const first = deskewRaster(turned, deskewDeg, lut);
  // The scorer sees deskewed candidates: on a skewed page a text line drifts across more rows than
  // its strip holds, and the strip of the upright candidate read as cut-off garbage. Deskewing
  // about the centre commutes with the half turn, so the second candidate is the first turned by 180°.
  let raster = first;
  let rotation = candidates[0];
  if (options.scoreUpright) {
    const second = rotateRightAngle(first, 180);
    const a = await options.scoreUpright(first);
    const b = await options.scoreUpright(second);
    if (b > a) [raster, rotation] = [second, candidates[1]];
  }
  const lineBinary = prepareLineChannel(src, rotation, deskewDeg);
  return {
    raster,
    binary: binarizeSauvola(raster),
    ...(lineBinary ? { lineBinary } : {}),
    rotation,
    skewDeg,
    orientationEvidence,
  };
}
