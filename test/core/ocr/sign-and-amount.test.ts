import { describe, expect, it } from 'vitest';
import { noSignPrinted, startsWithMinus } from '../../../core/ocr/minus-sign.js';
import { inspectCell, readCell } from '../../../core/ocr/read-cell.js';
import { ruledCell } from '../../helpers/ruled-cell.js';
import { scripted } from '../../helpers/scripted-engine.js';

/** A ruled cell with ink boxes [x0, y0, x1, y1] (digits are 40 px tall, rows 25–65). */
function cell(marks: readonly (readonly [number, number, number, number])[]): ReturnType<typeof ruledCell> {
  return ruledCell((fill) => marks.forEach(([x0, y0, x1, y1]) => fill(x0, y0, x1, y1)));
}

const DIGIT = [100, 25, 118, 65] as const;
const MINUS = [84, 43, 96, 47] as const;

function minusOf(marks: readonly (readonly [number, number, number, number])[]): boolean {
  const { raster, frame } = cell(marks);
  return startsWithMinus(inspectCell(raster, frame, 300)!.ink);
}

describe('a minus sign told by its ink', () => {
  it('is a solid flat bar at the digits’ middle height, just before them', () => {
    expect(minusOf([MINUS, DIGIT])).toBe(true);
    expect(minusOf([DIGIT])).toBe(false);
  });

  it('is not a speck, an underscore, a bar far off or a ragged streak', () => {
    expect(minusOf([[90, 44, 93, 47], DIGIT])).toBe(false);
    expect(minusOf([[84, 60, 96, 64], DIGIT])).toBe(false);
    expect(minusOf([[20, 43, 32, 47], DIGIT])).toBe(false);
    expect(minusOf([[84, 40, 88, 44], [88, 46, 92, 50], [92, 40, 96, 44], DIGIT])).toBe(false);
  });

  it('restores a sign the recogniser dropped (−5 read as 5), as a doubtful reading', async () => {
    const { raster, frame } = cell([MINUS, DIGIT]);
    const r = await readCell(raster, frame, 300, scripted('5', '5'));
    expect(r.text).toBe('-5');
    expect(r.confidence).toBeLessThan(0.9);
    expect(r.alternatives).toContain('5');
    const plain = cell([DIGIT]);
    const kept = await readCell(plain.raster, plain.frame, 300, scripted('5', '5'));
    expect(kept).toMatchObject({ text: '5' });
    expect(kept.confidence).toBeGreaterThanOrEqual(0.9);
  });
});

describe('no sign printed, told by the raster', () => {
  /** A drawn cell; `faint` paints [x0, y0, x1, y1] a light grey (a mark the ink finder drops). */
  function signless(marks: readonly (readonly [number, number, number, number])[], faint?: readonly number[]): boolean {
    const { raster, frame } = cell(marks);
    if (faint) {
      const [x0, y0, x1, y1] = faint as [number, number, number, number];
      for (let y = y0; y < y1; y++) raster.data.fill(170, y * raster.width + x0, y * raster.width + x1);
    }
    return noSignPrinted(raster, inspectCell(raster, frame, 300)!.ink);
  }

  it('is clean paper where a minus would print before the digits', () => {
    expect(signless([DIGIT])).toBe(true);
    expect(signless([MINUS, DIGIT])).toBe(false);
  });

  it('is not a faint bar the ink finder dropped, nor a cell too narrow for a sign to show', () => {
    expect(signless([DIGIT], MINUS)).toBe(false);
    expect(signless([[8, 25, 26, 65]])).toBe(false);
  });

  it('is kept on the reading of an unsigned number only', async () => {
    const plain = cell([DIGIT]);
    expect(await readCell(plain.raster, plain.frame, 300, scripted('5', '5'))).toMatchObject({ signless: true });
    const minus = cell([MINUS, DIGIT]);
    expect((await readCell(minus.raster, minus.frame, 300, scripted('5', '5'))).signless).toBeUndefined();
  });
});

describe('an amount printed with separators or a unit', () => {
  // Three digits and a wide glyph (元): the ink is a label's, one row.
  const AMOUNT_INK = [
    [40, 25, 58, 65],
    [66, 25, 84, 65],
    [92, 25, 110, 65],
    [120, 25, 160, 65],
  ] as const;

  it('takes the label setup’s 3,233,711元 when the digits setup saw the same digits (元 read as 70), doubtful', async () => {
    const { raster, frame } = cell(AMOUNT_INK);
    const r = await readCell(raster, frame, 300, scripted('3233.71170', '', '3,233,711元'));
    expect(r.text).toBe('3,233,711元');
    expect(r.confidence).toBeLessThan(0.9);
    expect(r.alternatives).toContain('3233.71170');
  });

  it('does not when the two setups saw other digits', async () => {
    const { raster, frame } = cell(AMOUNT_INK);
    const r = await readCell(raster, frame, 300, scripted('8233.71170', '', '3,233,711元'));
    expect(r.text).not.toBe('3,233,711元');
  });
});

describe('a count printed with thousands separators', () => {
  // 4,597: four digits and a comma at the foot between the first two.
  const GROUPED_INK = [
    [40, 25, 58, 65],
    [62, 60, 66, 72],
    [70, 25, 88, 65],
    [94, 25, 112, 65],
    [118, 25, 136, 65],
  ] as const;

  it('takes 4,597 when the label setup reads the separator the digits setup read as a point', async () => {
    const { raster, frame } = cell(GROUPED_INK);
    const r = await readCell(raster, frame, 300, scripted('4.597', '', '4,597', 0.7));
    expect(r.text).toBe('4,597');
    // Two readers agree on every digit: no longer below the flag threshold.
    expect(r.confidence).toBeGreaterThanOrEqual(0.9);
    expect(r.alternatives).toContain('4.597');
  });

  it('keeps the point when the label setup reads a point, other digits, or the ink holds another digit', async () => {
    const { raster, frame } = cell(GROUPED_INK);
    for (const label of ['4.597', '4,397', '45,97', ''])
      expect((await readCell(raster, frame, 300, scripted('4.597', '', label, 0.7))).text).toBe('4.597');
    const five = cell([...GROUPED_INK, [142, 25, 160, 65]]);
    expect((await readCell(five.raster, five.frame, 300, scripted('4.597', '', '4,597', 0.7))).text).not.toBe('4,597');
  });

  it('takes 2,438,736 read by the label setup when the digits setup saw the same digits, points for separators', async () => {
    // Seven digits 20 px apart and two commas: wide ink, read first as a label.
    const digits = [0, 1, 2, 3, 4, 5, 6].map(
      (i) =>
        [
          20 + i * 24 + (i > 0 ? 6 : 0) + (i > 3 ? 6 : 0),
          25,
          34 + i * 24 + (i > 0 ? 6 : 0) + (i > 3 ? 6 : 0),
          65,
        ] as const,
    );
    const commas = [[38, 60, 42, 72] as const, [116, 60, 120, 72] as const];
    const { raster, frame } = cell([...digits, ...commas]);
    const r = await readCell(raster, frame, 300, scripted('2.438.736', '', '2,438,736', 0.8));
    expect(r.text).toBe('2,438,736');
    expect(r.confidence).toBeGreaterThanOrEqual(0.9);
    // Another digit read by one setup, or a digit the ink holds that neither read: doubtful as before.
    for (const [first, label] of [
      ['2.438.786', '2,438,736'],
      ['2.438.736', '2,438,73'],
    ])
      expect((await readCell(raster, frame, 300, scripted(first, '', label, 0.8))).confidence).toBeLessThan(0.9);
  });
});
