/**
 * A 0 on a standard-mode fax whose top and bottom arcs fell between scan lines keeps only its two
 * flanks: two upright stems, read 11 (UMing: three of its 25 wrong cells; Noto Serif 0 read 11 and 1).
 * Tabular digits stand a pitch apart, so two stems closer than one digit (digit-pitch's digitCentres
 * joins them) are one digit: such a reading of 1s is a doubtful 0, the 1s kept for the sums.
 */
import type { CellReading } from './cell-reading.js';
import { ADVANCE_PER_HEIGHT, digitCentres } from './digit-pitch.js';
import type { InkReport } from './find-ink.js';
import { NUMBER } from './number-text.js';

/** Both flanks are upright strokes this straight (a share of their height, find-ink's `stem`). */
const STRAIGHT = 0.85;
/** …and about as tall as each other. */
const SAME_HEIGHT = 0.8;
/** A 0 read from its flanks keeps at most this: flagged unless a passing sum vouches. */
const FLANKS_CAP = 0.6;

export function flanksAsZero(r: CellReading, ink: InkReport, pitch: number): CellReading {
  if (!/^1{1,2}$/.test(r.text)) return r;
  const apart = flanksApart(ink);
  if (apart === null || digitCentres([0, apart], pitch).length !== 1) return r;
  return asZero(r);
}

/** The centres' distance of a one-row ink that is two straight upright stems of about one height; else null. */
function flanksApart(ink: InkReport): number | null {
  if (ink.glyphs.length !== 2) return null;
  const [a, b] = ink.glyphs as [(typeof ink.glyphs)[0], (typeof ink.glyphs)[0]];
  if (Math.min(a.stem, b.stem) < STRAIGHT || Math.min(a.height, b.height) < SAME_HEIGHT * Math.max(a.height, b.height))
    return null;
  return b.x0 + b.width / 2 - (a.x0 + a.width / 2);
}

/** A doubtful 0 (flagged unless a passing sum vouches), the reading kept for the sums where it is a number. */
function asZero(r: CellReading): CellReading {
  return {
    ...r,
    text: '0',
    kind: 'digits',
    confidence: Math.min(r.confidence, FLANKS_CAP),
    alternatives: [...new Set([r.text, ...r.alternatives])].filter((t) => t !== '0' && t !== ''),
  };
}

/** A page teaches how far apart its 0s' flanks stand once this many of its cells read 0 on two flanks. */
const MIN_ZERO_EXAMPLES = 5;
/** A pair of flanks this much farther apart than the page's 0s' (their median) is no 0 of this page. */
const ZERO_SPREAD = 1.25;
/** …nor one closer to the next digit's stem than this share of the digit pitch (an 11's stems stand a pitch apart). */
const BELOW_PITCH = 0.8;
/** …nor one shorter than this share of the page's 0s (a torn fragment). */
const ZERO_HEIGHT = 0.6;
/** A reading at least this sure, of a number, stands (read-cell's REREAD_BELOW). */
const SURE = 0.9;

/**
 * A fax prints every 0 of a page the same way, and where its arcs fell between scan lines each is two
 * straight stems a fixed distance apart (淮安市 2024's Times 0s on a standard-mode fax: 6 px, where
 * its 11s stand 10 px apart). Once the page read enough of them as 0, a doubtful cell of a number
 * column whose ink is that same pair (read 11, blank, 村 or 4) is a doubtful 0 too: its readings
 * kept for the sums, flagged unless a passing sum vouches. In place; `inks` one-row number inks.
 */
export function zerosLikePage(
  readings: (CellReading | null)[],
  inks: readonly (InkReport | null)[],
  numeric: readonly boolean[],
  pitch: number | null,
): void {
  const flanks = inks.map((ink) => (ink ? flanksApart(ink) : null));
  const height = (ink: InkReport): number => Math.max(...ink.glyphs.map((g) => g.height));
  const zeros = readings.flatMap((r, i) => (r?.text === '0' && flanks[i] !== null ? [i] : []));
  if (zeros.length < MIN_ZERO_EXAMPLES) return;
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const apart = median(zeros.map((i) => flanks[i]!));
  const tall = median(zeros.map((i) => height(inks[i]!)));
  // Without a pitch, the smallest a face's advance is for the 0s' height (standard-digits' guess).
  const limit = Math.min(ZERO_SPREAD * apart, BELOW_PITCH * (pitch ?? ADVANCE_PER_HEIGHT * tall));
  readings.forEach((r, i) => {
    const d = flanks[i];
    if (!r || d === null || d === undefined || !numeric[i] || r.text === '0') return;
    if (r.confidence >= SURE && NUMBER.test(r.text)) return;
    if (d > limit || height(inks[i]!) < ZERO_HEIGHT * tall) return;
    readings[i] = asZero(r);
  });
}
