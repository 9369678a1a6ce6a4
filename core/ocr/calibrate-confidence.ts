import { LOW_CONFIDENCE } from '../report/confidence.js';

/**
 * Raw cell confidence below which an OCR reading is doubtful. From bench/results/calibration.md:
 * on the dev scans no wrong reading scored above 0.75, and correct ones between 0.5 and 0.9 were rare.
 */
export const OCR_FLAG_THRESHOLD = 0.9;

/**
 * Put the recogniser's confidence on the mapper's scale: readings at or above OCR_FLAG_THRESHOLD keep
 * their value; doubtful ones are scaled below LOW_CONFIDENCE (order kept), so the report flags them
 * unless passing rules vouch for them. Blank cells and agreed readings are untouched.
 */
export function calibrateConfidence(raw: number): number {
  if (raw >= OCR_FLAG_THRESHOLD) return raw;
  return Math.max(0, raw) * (LOW_CONFIDENCE / OCR_FLAG_THRESHOLD) * 0.999;
}
