import type { Rotation } from '../model/index.js';
import { binarizeSauvola } from './binarize-sauvola.js';
import { rotationAbout } from './homography.js';
import { warpBinary } from './warp-image.js';
import { deskewRaster, shrinkRaster } from './deskew-raster.js';
import { collectInk, estimateSkew } from './estimate-skew.js';
import { prepareLineChannel, type ColourRaster } from './line-channel.js';
import { textScaleDpi } from './estimate-text-scale.js';
import { measureOrientation, type OrientationEvidence } from './measure-orientation.js';
import { applyLut, contrastLut } from './normalize-contrast.js';
import { rotateRightAngle, withDigits, type BinaryRaster, type Raster } from './raster.js';

/** Page analysis (orientation, skew) runs at about this resolution: text lines stay apart, cost is ≈ 1/9. */
const ANALYSIS_DPI = 100;
/** Never shrink the analysis image below this many pixels a side (small images with a guessed 300 dpi). */
const MIN_ANALYSIS_PX = 600;
/**
 * A rows-vs-columns score closer to 0 than this is a low-margin decision, recorded on the page:
 * every upright page of the dev and real-report scans scored ≥ 1.2, the sideways ones ≤ −0.6, and
 * the dense real tables that had fooled the older run-length cue 0.7–0.85 (docs/real-scans.md).
 */
export const LOW_ORIENTATION_MARGIN = 0.5;
/**
 * The turned candidate must out-score the page as scanned by this much (the upright scorer's mean
 * Han-word confidence): scans are upright far more often than not, and a dense digit table gives
 * both candidates few Han words. Results closer than this are a low-margin decision.
 */
const UPRIGHT_PRIOR = 0.15;
/**
 * A first candidate scoring this much is upright without reading the turned one (one strip read
 * instead of two): the turned one would need more than 1 to win. The skipped read could only have
 * made it a close call by reading ≥ SURE_UPRIGHT − UPRIGHT_PRIOR upside down.
 */
const SURE_UPRIGHT = 1 - UPRIGHT_PRIOR;
/** A winning upright score under this is no reading either way (a table image's strip read as noise): uncertain too. */
const MIN_UPRIGHT_READ = 0.3;
/** Clear ink only (textbook Sauvola k, 40 levels under the window mean): what glyphs are measured on. */
const GLYPH_INK = { k: 0.34, minContrast: 40 } as const;
/** Tilts beyond this (degrees) are levelled before the glyphs are measured for orientation. */
const ORIENTATION_LEVEL_DEG = 2;
/** Skews below this are left alone: a 2500-px line drifts < 2 px, inside any tolerance downstream. */
export const MIN_DESKEW_DEG = 0.04;

/**
 * Scores an upright candidate of the page (higher = more likely the right way up), e.g. the mean
 * OCR confidence of a text strip. Called with each of the two candidates (0/180 or 90/270), whose
 * dpi is the scale the page's glyphs imply when the declared one is far off (photos and screenshots
 * carry placeholder densities, and a strip cut in inches at a wrong scale held no whole text line).
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
  /** How the rotation was decided, and whether either choice was close. */
  readonly orientation: OrientationDecision;
}

export interface OrientationDecision {
  /** Rows-vs-columns evidence before rotation (measureOrientation): > 0 text runs horizontally, < 0 sideways. */
  readonly evidence: OrientationEvidence;
  /**
   * The upright scorer's two results (smaller turn first), or null without a scorer; the second is
   * null when the first was sure (SURE_UPRIGHT) and the turned candidate was not read.
   */
  readonly upright: readonly [number, number | null] | null;
  /** Either decision was within its low margin: the page may be turned wrong, a person should look. */
  readonly uncertain: boolean;
}

/**
 * The analysis page levelled for measureOrientation when it is tilted by more than
 * ORIENTATION_LEVEL_DEG: glyph boxes of a photo tilted by 10° overlap their neighbours along the
 * line and only the gap across lines was left, which turned it sideways. Nearest neighbour on the
 * binary page: resampling the gray page blurred the gaps between glyphs shut.
 */
function levelled(bin: BinaryRaster, tiltDeg: number): BinaryRaster {
  return Math.abs(tiltDeg) >= ORIENTATION_LEVEL_DEG
    ? warpBinary(bin, rotationAbout(bin.width, bin.height, tiltDeg))
    : bin;
}

/**
 * The scale the upright scorer cuts its strip at: the declared dpi unless the glyphs of both
 * binarisations say otherwise. The strict one alone breaks thin strokes (仿宋 table text at 100 dpi)
 * into specks: 淮安市 2024's 表三 page at 200 dpi measured 84, its strip cut the bold heading in
 * half, and the half read upside down won (turned 270° for 90°, 180° for 0°). A photo's placeholder
 * density is off by 2–4× on both.
 */
function glyphScaleDpi(strict: BinaryRaster, loose: BinaryRaster): number {
  const a = textScaleDpi(strict);
  const b = textScaleDpi(loose);
  return a === strict.dpi || b === loose.dpi ? strict.dpi : a;
}

/**
 * A page levelled for reading, the upright question still open between the first candidate (0, or
 * 90 for a sideways page) and its half turn: what `levelScan` leaves for `chooseUpright` or
 * `asPrepared`. A page can be read as the first candidate and turned only when its reading says so
 * (ocr-page.ts), which saves the upright scorer's strip reads on the pages that read upright.
 */
export interface LevelledScan {
  readonly src: ColourRaster;
  /** Deskewed first candidate, contrast-normalised. */
  readonly first: Raster;
  readonly candidates: readonly [Rotation, Rotation];
  readonly skewDeg: number;
  readonly deskewDeg: number;
  readonly evidence: OrientationEvidence;
  /** The scale the upright scorer cuts its strip at (glyphScaleDpi at full resolution), measured when first asked. */
  readonly scorerDpi: () => number;
}

/**
 * Contrast normalisation, orientation (0 vs 90 from the direction text runs in, judged on glyphs)
 * and deskew by projection-profile search: the first upright candidate, deskewed.
 */
export async function levelScan(
  src: ColourRaster,
  options: Pick<PrepareOptions, 'deskew'> = {},
): Promise<LevelledScan> {
  const lut = contrastLut(src);
  const factor = Math.max(
    1,
    Math.floor(Math.min(src.dpi / ANALYSIS_DPI, Math.min(src.width, src.height) / MIN_ANALYSIS_PX)),
  );
  // Shrinking is a box filter and the stretch is monotonic: stretching after shrinking is close enough for analysis.
  const smallGray = applyLut(await shrinkRaster(src, factor), lut);
  const small = binarizeSauvola(smallGray);
  // Glyphs for orientation and text scale are taken from a stricter binarisation: only clear ink, no desk speckle.
  const glyphBin = binarizeSauvola(smallGray, GLYPH_INK);
  // The tilt is taken from whichever axis (text rows or columns) projects more sharply, a rigid turn
  // tilts both alike; the rows' estimate is the skew of an upright page as well.
  const ink = collectInk(small);
  const rows = estimateSkew(ink, 'h');
  const cols = estimateSkew(ink, 'v', false);
  const evidence = measureOrientation(levelled(glyphBin, (rows.energy >= cols.energy ? rows : cols).skewDeg));
  const sideways = evidence.score < 0;
  const candidates: [Rotation, Rotation] = sideways ? [90, 270] : [0, 180];
  // Turning by 180° keeps the skew angle, so one estimate serves both candidates.
  const skewDeg =
    options.deskew === false
      ? 0
      : sideways
        ? estimateSkew(collectInk(rotateRightAngle(small, candidates[0])), 'h').skewDeg
        : rows.skewDeg;
  const deskewDeg = Math.abs(skewDeg) >= MIN_DESKEW_DEG ? skewDeg : 0;
  const first = withDigits(src, (r) => deskewRaster(rotateRightAngle(r, candidates[0]), deskewDeg, lut));
  let dpi: number | undefined;
  const scorerDpi = (): number => (dpi ??= glyphScaleDpi(glyphBin, small) * factor);
  return { src, first, candidates, skewDeg, deskewDeg, evidence, scorerDpi };
}

/** The upright scorer's verdict between a levelled page's two candidates. */
export interface UprightChoice {
  /** The half-turned candidate won. */
  readonly turned: boolean;
  /** The scorer's results, smaller turn first; the second null when the first was sure (SURE_UPRIGHT). */
  readonly upright: readonly [number, number | null];
}

/**
 * The upright scorer on a levelled page. It sees deskewed candidates: on a skewed page a text line
 * drifts across more rows than its strip holds, and the strip of the upright candidate read as
 * cut-off garbage. Deskewing about the centre commutes with the half turn, so the second candidate
 * is the first turned by 180°.
 */
export async function chooseUpright(scan: LevelledScan, score: UprightScorer): Promise<UprightChoice> {
  const dpi = scan.scorerDpi();
  const first = await score({ ...scan.first, dpi });
  // A first candidate at SURE_UPRIGHT or above cannot be beaten by UPRIGHT_PRIOR (scores are ≤ 1):
  // the turned candidate is read only when it could change the decision.
  if (first >= SURE_UPRIGHT) return { turned: false, upright: [first, null] };
  const second = await score({ ...rotateRightAngle(scan.first, 180), dpi });
  return { turned: second > first + UPRIGHT_PRIOR, upright: [first, second] };
}

/**
 * The prepared page of a levelled scan: its first candidate, or the half turn when `choice` says
 * so; `choice` null leaves the upright question undecided (no scorer: the first candidate).
 */
export function asPrepared(scan: LevelledScan, choice: UprightChoice | null): PreparedScan {
  const turned = choice?.turned === true;
  const raster = turned ? withDigits(scan.first, (r) => rotateRightAngle(r, 180)) : scan.first;
  const rotation = scan.candidates[turned ? 1 : 0];
  const lineBinary = prepareLineChannel(scan.src, rotation, scan.deskewDeg);
  return {
    raster,
    binary: binarizeSauvola(raster),
    ...(lineBinary ? { lineBinary } : {}),
    rotation,
    skewDeg: scan.skewDeg,
    orientation: decision(scan.evidence, choice?.upright ?? null),
  };
}

/** How the rotation was decided; uncertain when either decision was within its low margin. */
export function decision(
  evidence: OrientationEvidence,
  upright: readonly [number, number | null] | null,
): OrientationDecision {
  const uncertain =
    Math.abs(evidence.score) < LOW_ORIENTATION_MARGIN ||
    (upright !== null &&
      upright[1] !== null &&
      (Math.abs(upright[0] - upright[1]) < UPRIGHT_PRIOR || Math.max(upright[0], upright[1]) < MIN_UPRIGHT_READ));
  return { evidence, upright, uncertain };
}

/**
 * Prepares a scanned page for table finding and OCR: contrast normalisation, orientation
 * (0 vs 90 from the direction text runs in, judged on glyphs; 0 vs 180 from `scoreUpright`), deskew by projection-profile
 * search, Sauvola binarisation. Default without a scorer: 0, and 90° clockwise for sideways pages
 * (how a landscape page goes through a portrait scanner). A pixel cue for 180° (ink above vs below
 * the middle of text lines) was tried and dropped: on the real sideways scans it pointed the wrong
 * way as often as the right one, and it misread an upright dev page. Upside-down needs OCR evidence.
 */
export async function prepareScan(src: ColourRaster, options: PrepareOptions = {}): Promise<PreparedScan> {
  const scan = await levelScan(src, options);
  return asPrepared(scan, options.scoreUpright ? await chooseUpright(scan, options.scoreUpright) : null);
}
