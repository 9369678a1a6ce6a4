import { describe, expect, it } from 'vitest';
import { doubtReading, IMPLAUSIBLE_CAP, implausibleReading } from '../../../core/ocr/doubt-reading.js';
import type { GlyphBox } from '../../../core/ocr/find-ink.js';

const glyph = (x0: number, width: number, height = 30): GlyphBox => ({ x0, y0: 2, width, height, stem: 0.5 });
const seen = (glyphs: GlyphBox[], rows = 1) => ({ rows, ink: { glyphs } });
const reading = (text: string, confidence = 0.95) => ({ text, confidence });

describe('doubtReading: a reading its own ink contradicts is doubtful', () => {
  it('a number claiming more digits than its glyphs have room for (a fax 2 read as 200)', () => {
    expect(implausibleReading(reading('200'), seen([glyph(29, 18, 31)]))).toMatch(/3 digits in 1 glyphs/);
    expect(doubtReading(reading('200'), seen([glyph(29, 18, 31)])).confidence).toBe(IMPLAUSIBLE_CAP);
  });

  it('touching digits in one wide glyph, separate digits, and 1s keep their reading', () => {
    expect(implausibleReading(reading('00'), seen([glyph(0, 34)]))).toBeNull();
    expect(
      implausibleReading(
        reading('4051'),
        seen([glyph(0, 21), glyph(23, 7), glyph(34, 8), glyph(46, 18), glyph(73, 6)]),
      ),
    ).toBeNull();
    expect(implausibleReading(reading('11'), seen([glyph(0, 6), glyph(20, 6)]))).toBeNull();
    expect(
      implausibleReading(reading('29.92'), seen([glyph(0, 17), glyph(20, 17), glyph(45, 17), glyph(65, 17)])),
    ).toBeNull();
  });

  it('a touching pair read as one digit (34 as 4 on a soft 150-dpi scan), a wide single digit kept', () => {
    // 淮安市 2024's 34 on a 150-dpi scan rendered at 300 dpi: one glyph 28 px wide, 22 px tall.
    expect(implausibleReading(reading('4'), seen([glyph(52, 28, 22)]))).toMatch(
      /1 digits in ink that holds at least 2/,
    );
    expect(doubtReading(reading('4'), seen([glyph(52, 28, 22)])).confidence).toBe(IMPLAUSIBLE_CAP);
    expect(implausibleReading(reading('34'), seen([glyph(52, 28, 22)]))).toBeNull();
    // A bold 0, blurred, is ≈ 0.9 of its height wide: one digit.
    expect(implausibleReading(reading('0'), seen([glyph(0, 27, 30)]))).toBeNull();
  });

  it('digits mixed with junk and no ideograph are a misread number, labels with digits are not', () => {
    expect(implausibleReading(reading('[2 07'), seen([], 2))).toBe('digits mixed with junk');
    expect(implausibleReading(reading('So0'), seen([]))).toBe('digits mixed with junk');
    expect(implausibleReading(reading('1.属于国家秘密'), seen([]))).toBeNull();
    expect(implausibleReading(reading('信息内容'), seen([]))).toBeNull();
  });

  it('never raises a confidence', () => {
    expect(doubtReading(reading('200', 0.3), seen([glyph(0, 18)])).confidence).toBe(0.3);
  });
});
