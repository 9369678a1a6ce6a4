import { parseNumber } from '../report/parse-number.js';
import { NUMBER } from './number-text.js';
import type { LineReading } from './ocr-engine.js';
import type { CellReading } from './cell-reading.js';
import { readingScore } from './settle-readings.js';

/**
 * The label setup's reading of an amount printed with thousands separators or a money unit
 * (3,233,711元, as parse-number reads them), which the digits setup — held to digits, points and
 * signs — cannot read: taken when the digits setup saw the same digits first (3233.71170: 元 read as
 * 70), as a doubtful reading (confidence at most `cap`), flagged unless passing sums vouch for it.
 * Else null.
 */
export function amountRead(label: LineReading, digits: string, rows: number, cap: number): CellReading | null {
  const amount = label.text.replace(/\s/g, '').replace(/，/g, ',');
  const parsed = parseNumber(amount);
  if (!parsed.ok || NUMBER.test(amount) || !(parsed.unit ?? '元').endsWith('元')) return null;
  const own = amount.replace(/\D/g, '');
  if (own === '' || !digits.replace(/\D/g, '').startsWith(own)) return null;
  const confidence = Math.min(readingScore(label, 'label'), cap);
  return { text: amount, confidence, alternatives: digits === '' ? [] : [digits], kind: 'label', rows };
}
