/**
 * One number cell read from two copies of the same fax page (standard mode: the smooth squared page
 * and its sharper digit copy, Raster.digits) settled into one reading. The sharp copy reads serif
 * digits better, the smooth one sans digits and thin 1s: neither is taken blindly.
 */
import type { CellInk, CellReading } from './read-cell.js';
import { DISAGREEMENT_FACTOR } from './settle-readings.js';
import { NUMBER } from './number-text.js';

const isNumber = (r: CellReading): boolean => r.kind === 'digits' && NUMBER.test(r.text);
/** A reading this sure stands against the glyph count, which touching digits fool (965 on two glyphs). */
const SURE = 0.9;

/**
 * A one-row cell the page calls a label only for a glyph as wide as a CJK character: on a
 * standard-mode fax two digits a pel apart run together (UMing's 965, 28, 1081: 19 of its 31 wrong
 * cells), so it is read from the sharp copy too (read-table's sharpInk), and settled by settleTouching.
 */
export function touchingDigits(ink: CellInk): boolean {
  return ink.kind === 'label' && ink.rows === 1 && ink.ink.wide;
}

/**
 * As many digits as its copy's ink printed, or nothing counted them, or the recogniser was sure of
 * every digit. With `flanks`, a 0 may show as its two flanks (as repair-cells' `misread` counts
 * them): enough to stand against text, too loose to choose between two numbers (a sharp 0 for 50 on
 * two glyphs, 90 for 95 on three, 洪泽区 2024).
 */
function fitsInk(r: CellReading, flanks = false): boolean {
  if (r.glyphs === undefined || r.confidence >= SURE) return true;
  const digits = r.text.replace(/\D/g, '').length;
  return r.glyphs === digits || (flanks && r.glyphs > digits && r.glyphs <= digits + (r.text.match(/0/g) ?? []).length);
}

/**
 * - The copies agree: that number, as sure as the surer reading (not surer: they share the pixels).
 * - The page read text where the sharp copy's number does not account for the glyphs its ink printed
 *   (48 of a label of twelve glyphs): the text, as it stands. A serif 0 the page read as 人 or 和 is
 *   the sharp copy's 0.
 * - One copy reads no number (a sharp 有 for 11, a blank, `1-4`): the other's reading as it stands; a
 *   copy that reads no number is no evidence either way.
 * - Both read numbers that differ: the one that fits its ink (fitsInk), else the surer
 *   reading (the sharp copy's on a tie), its confidence halved like any disagreement, the other kept
 *   as an alternative for the repair by sums.
 */
export function settleCopies(sharp: CellReading, smooth: CellReading): CellReading {
  if (!isNumber(sharp) || (smooth.kind === 'label' && !fitsInk(sharp, true))) return smooth;
  if (!isNumber(smooth)) return sharp;
  if (sharp.text === smooth.text) return smooth.confidence > sharp.confidence ? smooth : sharp;
  const smoothFirst = fitsInk(smooth) !== fitsInk(sharp) ? fitsInk(smooth) : smooth.confidence > sharp.confidence;
  const [best, other] = smoothFirst ? [smooth, sharp] : [sharp, smooth];
  const alternatives = [other.text, ...best.alternatives, ...other.alternatives].filter(
    (t) => t !== best.text && NUMBER.test(t),
  );
  return { ...best, confidence: best.confidence * DISAGREEMENT_FACTOR, alternatives: [...new Set(alternatives)] };
}

/** A reading of text that is a whole number: a number (touching digits read as a label). */
const asNumber = (r: CellReading): CellReading =>
  r.kind === 'label' && NUMBER.test(r.text) ? { ...r, kind: 'digits' } : r;

/**
 * The two copies of a cell of touching digits (touchingDigits) settled as numbers: where both read
 * their run-together digits as text, a whole number either read is that number (UMing's 1081 and 1041
 * on two CJK-wide glyphs: the tie goes to the sharp copy, the other kept for the sums). A copy
 * reading CJK text stays text, so a real one-row label reads as before.
 */
export function settleTouching(sharp: CellReading, smooth: CellReading): CellReading {
  return settleCopies(asNumber(sharp), asNumber(smooth));
}
