import { describe, expect, it } from 'vitest';
import { digitPitch, digitSlots, type NumberInk } from '../../../core/ocr/digit-pitch.js';

/** Numbers of 淮安市 2024's fine-mode fax (204 dpi) read with confidence: Times digits ≈ 9.5 px apart. */
const taught: NumberInk[] = [
  { text: '53', confidence: 0.95, centres: [100, 109.5] },
  { text: '21', confidence: 0.96, centres: [300, 309] },
  { text: '105', confidence: 0.93, centres: [500, 509.5, 519] },
  { text: '12', confidence: 0.97, centres: [700, 710] },
  { text: '88283', confidence: 0.92, centres: [0, 9.5, 19, 28.5, 38] },
];

describe('digitPitch and digitSlots', () => {
  it('learns the page pitch from numbers read with confidence and counts digits a fax thinned', () => {
    const pitch = digitPitch(taught)!;
    expect(pitch).toBeGreaterThan(9);
    expect(pitch).toBeLessThan(10);
    // 447 on the fax: the two 4s kept only their stems (27.5, 37.5), the 7 its stem (46).
    expect(digitSlots([27.5, 37.5, 46], pitch)).toBe(3);
    // Four glyphs a pitch apart (a 3001 whose 0s each kept one flank) are four digits.
    expect(digitSlots([3, 12.5, 22, 31.5], pitch)).toBe(4);
    // A lone 0 split into its two flanks is one digit.
    expect(digitSlots([10, 14.5], pitch)).toBe(1);
    // 30 with its 0 split: 3, then the flanks of the 0.
    expect(digitSlots([0, 7, 12], pitch)).toBe(2);
  });

  it('learns nothing from doubtful readings or glyphs that do not match the digits', () => {
    const doubtful = taught.map((n) => ({ ...n, confidence: 0.5 }));
    expect(digitPitch(doubtful)).toBeNull();
    const split = taught.map((n) => ({ ...n, centres: [...n.centres, n.centres.at(-1)! + 4] }));
    expect(digitPitch(split)).toBeNull();
  });
});
