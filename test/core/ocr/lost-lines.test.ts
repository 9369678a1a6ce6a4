import { describe, expect, it } from 'vitest';
import { inspectCell, type CellInk } from '../../../core/ocr/read-cell.js';
import { joinLostLines, numberHeight, numberOrNothing } from '../../../core/ocr/lost-lines.js';

/** A white cell at 204 dpi (a standard-mode fax squared), ink drawn as black boxes. */
function cell(boxes: readonly (readonly [number, number, number, number])[]) {
  const width = 60;
  const height = 50;
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) data.fill(0, y * width + x0, y * width + x1);
  return inspectCell({ width, height, data }, { x0: 0, y0: 0, x1: width, y1: height }, 204);
}

/** A one-row digit 18 px tall, 10 wide: a bar with a stem (a 1-like glyph). */
const digit = (): CellInk | null =>
  cell([
    [24, 15, 30, 33],
    [22, 15, 32, 17],
  ]);

describe('joinLostLines: a digit a lost fax line cut in two is one row', () => {
  const height = numberHeight([digit(), digit(), digit(), digit(), digit()]);

  it("knows the table's numbers' height only from enough one-row numbers", () => {
    expect(height).toBe(18);
    expect(numberHeight([digit(), digit()])).toBeNull();
  });

  it('reads a serif 2 whose diagonal fell between scan lines (its arc above, its foot below) as one digit', () => {
    // Arc: 11 px; gap: 3 px (more than find-ink's row gap at 204 dpi); foot: 5 px; 19 px in all.
    const two = cell([
      [22, 14, 32, 16],
      [29, 14, 32, 25],
      [22, 28, 32, 33],
    ]);
    expect([two?.kind, two?.rows]).toEqual(['label', 2]);
    const joined = joinLostLines(two, height, 204);
    expect([joined?.kind, joined?.rows, joined?.ink.glyphs.length]).toEqual(['digits', 1, 1]);
  });

  it('leaves two rows of a label alone: taller together than a number', () => {
    const label = cell([
      [20, 4, 36, 18],
      [20, 24, 36, 38],
    ]);
    expect(label?.rows).toBe(2);
    expect(joinLostLines(label, height, 204)).toBe(label);
  });

  it('takes a joined digit read as text for no reading, so the row keeps its slot', () => {
    const r = { text: '二', confidence: 0.9, alternatives: [], kind: 'label' as const, rows: 1 };
    expect(numberOrNothing(r)).toMatchObject({ text: '', confidence: 0, kind: 'digits' });
    expect(numberOrNothing({ ...r, text: '5', kind: 'digits' }).text).toBe('5');
  });
});
