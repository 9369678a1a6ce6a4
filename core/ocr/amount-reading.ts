import { NUMBER } from './number-text.js';
import type { LineReading } from './ocr-engine.js';
import type { CellReading } from './cell-reading.js';
import { readingScore } from './settle-readings.js';

/**
 * An amount printed with thousands separators or a unit (3,233,711元): the digits setup, held to
 * digits, points and signs, cannot read it (3.233.711370), the label setup can.
 */
const AMOUNT = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(万元|亿元|元)?$/;

/**
 * The label setup's reading of such an amount, taken when the digits setup saw the same digits first
 * (3233.71170: 元 read as 70); as a doubtful reading (confidence at most `cap`), flagged unless
 * passing sums vouch for it. Else null.
 */
export function amountRead(label: LineReading, digits: string, rows: number, cap: number): CellReading | null {
  const amount = label.text.replace(/\s/g, '').replace(/，/g, ',');
  if (!AMOUNT.test(amount) || NUMBER.test(amount)) return null;
  if (!digits.replace(/\D/g, '').startsWith(amount.replace(/\D/g, ''))) return null;
  const confidence = Math.min(readingScore(label, 'label'), cap);
  return { text: amount, confidence, alternatives: digits === '' ? [] : [digits], kind: 'label', rows };
}
