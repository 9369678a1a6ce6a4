import { NUMBER, THOUSANDS } from './number-text.js';
import type { GlyphBox } from './find-ink.js';

/** A cell's reading and what its ink showed (read-cell's CellReading and CellInk). */
interface Reading {
  readonly text: string;
  readonly confidence: number;
}
interface Seen {
  readonly rows: number;
  readonly ink: { readonly glyphs: readonly GlyphBox[] };
}

/**
 * A reading that its own ink contradicts keeps at most this confidence: below the flag threshold, so
 * a person looks unless passing sums vouch for it.
 */
export const IMPLAUSIBLE_CAP = 0.5;
/**
 * The least advance of a digit, as a share of the glyph height: a 1 is narrow but stands a digit's
 * advance (≈ 0.55 of the height) from its neighbours, other digits are ≈ 0.5–0.65 wide.
 */
const MIN_ADVANCE = 0.4;
/**
 * An upright glyph wider than this share of its height holds two digits or more (touching digits):
 * the widest single digit of the faces reports print, blurred, is ≈ 0.9 of its height.
 */
const MAX_ONE_DIGIT = 1.1;
/** Digits in a reading are upright glyphs; points, commas and signs are not. */
const DIGIT = /\d/g;
const HAN = /\p{Script=Han}/u;

/**
 * Why a reading cannot be what the ink shows, or null. A number claiming more digits than its ink
 * is wide enough to hold (a fax's 2 read as 200: the recogniser invented digits from a streak) is
 * doubtful; so is text that mixes digits with junk and no ideograph (`[2 07`, `So0`): no label and no
 * number of a report's table looks like that, so it is a number misread.
 */
export function implausibleReading(reading: Reading, seen: Seen): string | null {
  const digits = (reading.text.match(DIGIT) ?? []).length;
  if (digits === 0) return null;
  // A count printed with thousands separators (2,438,736) is a number, its commas no glyphs.
  const text = THOUSANDS.test(reading.text) ? reading.text.replace(/,/g, '') : reading.text;
  if (!NUMBER.test(text)) return HAN.test(reading.text) ? null : 'digits mixed with junk';
  const glyphs = seen.ink.glyphs;
  if (seen.rows > 1 || glyphs.length === 0) return null;
  // A touching pair read as one digit (34 as 4 on a soft 150-dpi scan): a digit lost without a trace.
  const least = glyphs.reduce((n, g) => n + (g.width > MAX_ONE_DIGIT * g.height ? 2 : 1), 0);
  if (digits < least && least > glyphs.length) return `${digits} digits in ink that holds at least ${least}`;
  if (digits <= glyphs.length) return null;
  // Touching digits make one glyph: each glyph holds as many digits as its width has advances (at least one).
  const room = glyphs.reduce((n, g) => n + Math.max(1, Math.round(g.width / (MIN_ADVANCE * g.height))), 0);
  return digits > room ? `${digits} digits in ${glyphs.length} glyphs with room for ${room}` : null;
}

/** The reading with its confidence capped when its ink contradicts it (the other reading kept as evidence). */
export function doubtReading<R extends Reading>(reading: R, seen: Seen): R {
  return implausibleReading(reading, seen) === null
    ? reading
    : { ...reading, confidence: Math.min(reading.confidence, IMPLAUSIBLE_CAP) };
}
