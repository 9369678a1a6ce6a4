/**
 * One number cell read from two copies of the same fax page (standard mode: the smooth squared page
 * and its sharper digit copy, Raster.digits) settled into one reading. The sharp copy reads serif
 * digits better, the smooth one sans digits and thin 1s: neither is taken blindly.
 */
import type { CellReading } from './read-cell.js';
import { DISAGREEMENT_FACTOR } from './settle-readings.js';
import { NUMBER } from './number-text.js';

const isNumber = (r: CellReading): boolean => r.kind === 'digits' && NUMBER.test(r.text);

/**
 * - The copies agree: that number, as sure as the surer reading (not surer: they share the pixels).
 * - One copy reads no number (a label such as 有 for 11, a blank, `1-4`): the other's reading as it
 *   stands; a copy that reads no number is no evidence either way.
 * - Both read numbers that differ: the surer reading (the sharp copy's on a tie), its confidence
 *   halved like any disagreement, the other kept as an alternative for the repair by sums.
 */
export function settleCopies(sharp: CellReading, smooth: CellReading): CellReading {
  if (!isNumber(sharp)) return smooth;
  if (!isNumber(smooth)) return sharp;
  if (sharp.text === smooth.text) return smooth.confidence > sharp.confidence ? smooth : sharp;
  const [best, other] = smooth.confidence > sharp.confidence ? [smooth, sharp] : [sharp, smooth];
  const alternatives = [other.text, ...best.alternatives, ...other.alternatives].filter(
    (t) => t !== best.text && NUMBER.test(t),
  );
  return { ...best, confidence: best.confidence * DISAGREEMENT_FACTOR, alternatives: [...new Set(alternatives)] };
}
