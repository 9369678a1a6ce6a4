/**
 * A 0 on a standard-mode fax whose top and bottom arcs fell between scan lines keeps only its two
 * flanks: two upright stems, read 11 (UMing: three of its 25 wrong cells; Noto Serif 0 read 11 and 1).
 * Tabular digits stand a pitch apart, so two stems closer than one digit (digit-pitch's digitCentres
 * joins them) are one digit: such a reading of 1s is a doubtful 0, the 1s kept for the sums.
 */
import type { CellReading } from './cell-reading.js';
import { digitCentres } from './digit-pitch.js';
import type { InkReport } from './find-ink.js';

/** Both flanks are upright strokes this straight (a share of their height, find-ink's `stem`). */
const STRAIGHT = 0.85;
/** …and about as tall as each other. */
const SAME_HEIGHT = 0.8;
/** A 0 read from its flanks keeps at most this: flagged unless a passing sum vouches. */
const FLANKS_CAP = 0.6;

export function flanksAsZero(r: CellReading, ink: InkReport, pitch: number): CellReading {
  if (!/^1{1,2}$/.test(r.text) || ink.glyphs.length !== 2) return r;
  const [a, b] = ink.glyphs as [(typeof ink.glyphs)[0], (typeof ink.glyphs)[0]];
  if (Math.min(a.stem, b.stem) < STRAIGHT || Math.min(a.height, b.height) < SAME_HEIGHT * Math.max(a.height, b.height))
    return r;
  if (digitCentres([a.x0 + a.width / 2, b.x0 + b.width / 2], pitch).length !== 1) return r;
  return {
    ...r,
    text: '0',
    confidence: Math.min(r.confidence, FLANKS_CAP),
    alternatives: [...new Set([r.text, ...r.alternatives])].filter((t) => t !== '0'),
  };
}
