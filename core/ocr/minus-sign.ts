import type { InkReport } from './find-ink.js';
import { NUMBER } from './number-text.js';
import type { CellReading } from './cell-reading.js';

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

/**
 * True when a one-row number's ink starts with a minus sign: all the kept ink left of its first
 * upright glyph is one solid flat bar at the digits' middle height, close before them. The
 * recogniser drops such a bar now and then (a photographed −5 read as 5 at 0.99); its shape is
 * unambiguous enough to restore the sign, not to vouch for it.
 */
export function startsWithMinus(ink: InkReport): boolean {
  const first = ink.glyphs.reduce<InkReport['glyphs'][number] | null>(
    (best, g) => (best === null || g.x0 < best.x0 ? g : best),
    null,
  );
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
