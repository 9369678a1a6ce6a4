import type { InkReport } from './find-ink.js';
import { NUMBER } from './number-text.js';
import type { CellReading } from './cell-reading.js';
import type { GrayRaster } from './gray-raster.js';

/** A number read without a sign (its sign, if any, is a question for the ink). */
const UNSIGNED = /^\d+(\.\d+)?$/;

/** A minus is a flat bar: at most this share of the digits' height tall… */
const MAX_BAR_HEIGHT = 0.25;
/** …between these shares of it long (a hyphen-minus of a CJK or Latin face is ≈ 0.3–0.6 of a digit's height)… */
const MIN_BAR_LENGTH = 0.2;
const MAX_BAR_LENGTH = 0.9;
/** …solid (a fax streak or a speck row is ragged)… */
const MIN_BAR_FILL = 0.6;
/** …its middle this far down the digits (0 = their top, 1 = their foot)… */
const BAR_MIDDLE = [0.3, 0.75] as const;
/** …and no further left of the first digit than this share of their height. */
const MAX_BAR_GAP = 0.7;

/** Where a sign would print: this far left of the first digit (bar length plus its gap), in digit heights… */
const SIGN_REACH = MAX_BAR_GAP + MAX_BAR_LENGTH / 2;
/** …at least this much of it inside the cell (a minus of the shortest length with a small gap)… */
const MIN_SIGN_ROOM = 0.6;
/** …over this band of the digits' height (a bar's middle stays within BAR_MIDDLE, its half-height at most 1/8). */
const SIGN_BAND = [0.2, 0.85] as const;
/** Pixels beside the glyph left out of the window: its anti-aliased edge, not a mark (digit heights). */
const EDGE = 0.08;
/** A pixel this share of the way from the cell's paper to its digits' ink is a mark (a faint sign the ink finder dropped). */
const MARK = 0.25;

/** The median gray level of a histogram's pixels. */
function median(hist: Uint32Array, count: number): number {
  let seen = 0;
  for (let level = 0; level < 256; level++) if ((seen += hist[level]!) > count >> 1) return level;
  return 255;
}

/**
 * True when a one-row number's ink starts with a minus sign: all the kept ink left of its first
 * upright glyph is one solid flat bar at the digits' middle height, close before them. The
 * recogniser drops such a bar now and then (a photographed −5 read as 5 at 0.99); its shape is
 * unambiguous enough to restore the sign, not to vouch for it.
 */
export function startsWithMinus(ink: InkReport): boolean {
  // find-ink lists the glyphs left to right.
  const first = ink.glyphs[0];
  if (!first || ink.rows !== 1) return false;
  const w = ink.crop.x1 - ink.crop.x0;
  const h = ink.crop.y1 - ink.crop.y0;
  let x0 = Infinity;
  let x1 = -1;
  let y0 = Infinity;
  let y1 = -1;
  let area = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < first.x0; x++) {
      if (ink.mask[y * w + x] !== 1) continue;
      area++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x + 1);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y + 1);
    }
  if (area === 0) return false;
  const height = first.height;
  const barW = x1 - x0;
  const barH = y1 - y0;
  const middle = ((y0 + y1) / 2 - first.y0) / height;
  return (
    barH <= MAX_BAR_HEIGHT * height &&
    barW >= MIN_BAR_LENGTH * height &&
    barW <= MAX_BAR_LENGTH * height &&
    barW > barH &&
    area >= MIN_BAR_FILL * barW * barH &&
    middle >= BAR_MIDDLE[0] &&
    middle <= BAR_MIDDLE[1] &&
    first.x0 - x1 <= MAX_BAR_GAP * height
  );
}

/**
 * A number whose ink starts with a minus bar the recogniser dropped (a photographed −5 read as 5):
 * the sign restored, as a doubtful reading (confidence at most `cap`) — flagged unless passing sums
 * vouch for it.
 */
export function signFromInk(reading: CellReading, ink: InkReport, cap: number): CellReading {
  const t = reading.text;
  if (reading.kind !== 'digits' || !NUMBER.test(t) || /^[+-]/.test(t) || !/[1-9]/.test(t)) return reading;
  if (!startsWithMinus(ink)) return reading;
  return {
    ...reading,
    text: `-${t}`,
    confidence: Math.min(reading.confidence, cap),
    alternatives: [t, ...reading.alternatives.filter((a) => a !== `-${t}`)],
  };
}

/**
 * True when nothing is printed where a sign would be: the raster left of the first digit, over the
 * digits' middle band, holds no pixel a quarter of the way from the cell's paper to its digits' ink
 * (their medians), with room enough in the cell for a minus to show. A faint or dropped mark there
 * leaves the sign unclear. On a page whose scan can lose a hairline whole (a fax) the caller must not
 * ask: there, no ink is no evidence.
 */
/**
 * The reading marked `signless` when it is a non-zero unsigned number with nothing printed where its
 * sign would be (a zero has no sign to doubt, and most table cells are zeros: they are not looked at).
 */
export function markSignless(reading: CellReading, raster: GrayRaster, ink: InkReport): CellReading {
  const unsigned = reading.kind === 'digits' && UNSIGNED.test(reading.text) && /[1-9]/.test(reading.text);
  return unsigned && noSignPrinted(raster, ink) ? { ...reading, signless: true } : reading;
}

export function noSignPrinted(raster: GrayRaster, ink: InkReport): boolean {
  // find-ink lists the glyphs left to right.
  const first = ink.glyphs[0];
  if (!first || ink.rows !== 1) return false;
  const h = first.height;
  const right = first.x0 - Math.max(1, Math.round(EDGE * h));
  const left = Math.max(0, Math.floor(first.x0 - SIGN_REACH * h));
  if (right - left < MIN_SIGN_ROOM * h) return false;
  const { crop } = ink;
  const w = crop.x1 - crop.x0;
  const paperHist = new Uint32Array(256);
  const inkHist = new Uint32Array(256);
  let inked = 0;
  for (let y = crop.y0; y < crop.y1; y++)
    for (let x = crop.x0; x < crop.x1; x++) {
      const isInk = ink.mask[(y - crop.y0) * w + x - crop.x0] === 1;
      (isInk ? inkHist : paperHist)[raster.data[y * raster.width + x]!]!++;
      if (isInk) inked++;
    }
  const bare = w * (crop.y1 - crop.y0) - inked;
  if (inked === 0 || bare === 0) return false;
  const paper = median(paperHist, bare);
  const mark = paper - MARK * (paper - median(inkHist, inked));
  const y0 = Math.max(0, Math.floor(first.y0 + SIGN_BAND[0] * h));
  const y1 = Math.min(crop.y1 - crop.y0, Math.ceil(first.y0 + SIGN_BAND[1] * h));
  for (let y = y0; y < y1; y++)
    for (let x = left; x < right; x++)
      if (raster.data[(crop.y0 + y) * raster.width + crop.x0 + x]! <= mark) return false;
  return true;
}
