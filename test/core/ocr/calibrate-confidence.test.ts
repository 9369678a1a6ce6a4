import { describe, expect, it } from 'vitest';
import { calibrateConfidence, OCR_FLAG_THRESHOLD } from '../../../core/ocr/calibrate-confidence.js';
import { LOW_CONFIDENCE } from '../../../core/report/confidence.js';

describe('calibrateConfidence', () => {
  it('keeps confident readings and puts doubtful ones under the mapper threshold, in order', () => {
    expect(calibrateConfidence(0.99)).toBe(0.99);
    expect(calibrateConfidence(OCR_FLAG_THRESHOLD)).toBe(OCR_FLAG_THRESHOLD);
    const doubtful = [0.89, 0.75, 0.4, 0].map(calibrateConfidence);
    for (const c of doubtful) expect(c).toBeLessThan(LOW_CONFIDENCE);
    expect([...doubtful].sort((a, b) => b - a)).toEqual(doubtful);
  });
});
