/**
 * How many digits a number printed, from where its glyphs stand rather than from what survived of
 * them. Table digits are tabular (every digit, 1 too, has the same advance), so on one page the
 * centres of a number's digits sit one pitch apart; the pitch is learnt from this page's numbers read
 * with confidence, whose glyphs match their digits one to one. A fax that thinned a 4 to its stem,
 * split a 0 into its two flanks or dropped a digit's hairlines moves a centre by a fraction of the
 * pitch at most, so the count survives where the recogniser's reading does not (3001 read as 2).
 */

/** A number's reading and the centres (pixels, left to right) of its upright glyphs. */
export interface NumberInk {
  readonly text: string;
  readonly confidence: number;
  readonly centres: readonly number[];
}

/**
 * A digit's advance as a share of its ink height: 0.69 in UMing (12.5 px for 18), 0.75 in Noto Serif,
 * 0.68 in Times. The smallest, so a pitch guessed from the height never joins the stems of an 11.
 */
export const ADVANCE_PER_HEIGHT = 0.68;

/** Readings at least this sure teach the pitch. */
const TEACH_CONFIDENCE = 0.9;
/** A page needs this many adjacent digit pairs read with confidence to have a pitch. */
const MIN_PAIRS = 6;
/** Adjacent centres of a taught number may differ from one another by at most this share (tabular digits). */
const EVEN = 0.25;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The advance of this page's digits in pixels, or null when too few numbers were read at least `teach` sure. */
export function digitPitch(numbers: readonly NumberInk[], teach = TEACH_CONFIDENCE): number | null {
  const gaps: number[] = [];
  for (const n of numbers) {
    if (n.confidence < teach || !/^\d{2,}$/.test(n.text) || n.centres.length !== n.text.length) continue;
    const own = n.centres.slice(1).map((c, i) => c - n.centres[i]!);
    const m = median(own);
    if (own.every((g) => Math.abs(g - m) <= EVEN * m)) gaps.push(...own);
  }
  return gaps.length >= MIN_PAIRS ? median(gaps) : null;
}

/**
 * Glyphs closer than this share of the pitch are pieces of one digit (the two flanks of a 0 whose
 * arcs a fax lost stand ≈ half a pitch apart; the stems of neighbouring digits, 41 or 11, ≥ 0.85).
 */
const ONE_DIGIT = 0.7;

/** Glyph centres with the pieces of one digit (closer than ONE_DIGIT pitch) joined at their middle. */
export function digitCentres(centres: readonly number[], pitch: number): number[] {
  const joined: number[] = [];
  for (let i = 0; i < centres.length; i++) {
    const next = centres[i + 1];
    const pair = next !== undefined && next - centres[i]! < ONE_DIGIT * pitch;
    joined.push(pair ? (centres[i]! + next) / 2 : centres[i]!);
    if (pair) i++;
  }
  return joined;
}

/** Digits printed at these glyph centres: pieces of one digit joined, the pitches their span covers, plus one. */
export function digitSlots(centres: readonly number[], pitch: number): number {
  const joined = digitCentres(centres, pitch);
  if (joined.length === 0) return 0;
  return Math.round((joined[joined.length - 1]! - joined[0]!) / pitch) + 1;
}
