/**
 * A standard-mode fax (98 lines an inch) drops a thin stroke that fell between two of its lines: a
 * serif 2 or 5 comes apart into two bands of ink (its arc above, its foot below), and the cell is
 * taken for two rows of a label, read as `)`, `》` or nothing (Noto Serif standard: five of its 44
 * wrong cells). Ink in two bands that together are no taller than the table's one-row numbers and
 * no wider than one digit is one row: one digit.
 */
import { hasWideGlyph, strokeBridge, tallGlyphs } from './find-ink.js';
import { NUMBER } from './number-text.js';
import type { CellInk, CellReading } from './read-cell.js';

/** The two bands together stand at most this share of the table's one-row numbers' height. */
const SPAN = 1.15;
/** …and are no wider than this share of their height: one digit (a CJK character is about square). */
const ONE_DIGIT = 0.9;
/** Number cells a table needs for its numbers' height to be known. */
const MIN_NUMBERS = 5;

/** The median ink height of the table's one-row number cells, or null when too few say it. */
export function numberHeight(inks: readonly (CellInk | null | undefined)[]): number | null {
  const heights = inks
    .filter((i): i is CellInk => i?.kind === 'digits' && i.rows === 1)
    .map((i) => i.inkHeight)
    .sort((a, b) => a - b);
  return heights.length < MIN_NUMBERS ? null : heights[heights.length >> 1]!;
}

/** The cell's ink as one row of digits where it is a digit a lost line cut in two (see above); else as it is. */
export function joinLostLines(ink: CellInk | null, height: number | null, dpi: number): CellInk | null {
  if (!ink || height === null || ink.kind !== 'label' || ink.rows !== 2 || !ink.ink.box) return ink;
  const { box, crop, mask } = ink.ink;
  const span = box.y1 - box.y0;
  if (span > SPAN * height || box.x1 - box.x0 > ONE_DIGIT * span) return ink;
  const w = crop.x1 - crop.x0;
  const local = { x0: box.x0 - crop.x0, y0: box.y0 - crop.y0, x1: box.x1 - crop.x0, y1: box.y1 - crop.y0 };
  if (hasWideGlyph(mask, w, local, span)) return ink;
  const glyphs = tallGlyphs(mask, w, local, span, strokeBridge(dpi));
  return {
    ink: { ...ink.ink, rows: 1, bands: [[local.y0, local.y1]], glyphs, wide: false },
    kind: 'digits',
    rows: 1,
    inkHeight: span,
  };
}

/**
 * A joined digit read as anything but a number is no reading (a split 5 read by the CJK model as 二):
 * a blank keeps the cell's slot in its row, and the sums may solve it.
 */
export function numberOrNothing(r: CellReading): CellReading {
  return NUMBER.test(r.text) ? r : { ...r, text: '', confidence: 0, alternatives: [], kind: 'digits' };
}
