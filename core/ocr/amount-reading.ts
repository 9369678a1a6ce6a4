import { parseNumber } from '../report/parse-number.js';
import type { CellReading } from './cell-reading.js';
import type { GrayRaster } from './gray-raster.js';
import { NUMBER, THOUSANDS } from './number-text.js';
import type { LineReading, OcrEngine } from './ocr-engine.js';
import type { InkReport } from './find-ink.js';
import { AGREEMENT_DOUBT, readingScore } from './settle-readings.js';
import { readOneRow } from './read-label-prefix.js';
import { isSolid } from './glyph-shapes.js';

/**
 * The label setup's reading of an amount printed with thousands separators or a money unit
 * (3,233,711元, as parse-number reads them), which the digits setup — held to digits, points and
 * signs — cannot read: taken when the digits setup saw the same digits first (3233.71170: 元 read as
 * 70), as a doubtful reading (confidence at most `cap`), flagged unless passing sums vouch for it.
 * Else null.
 */
export function amountRead(
  label: LineReading,
  digitsRead: LineReading,
  rows: number,
  cap: number,
  ink?: InkReport,
): CellReading | null {
  const digits = digitsRead.text;
  const amount = label.text.replace(/\s/g, '').replace(/，/g, ',');
  const parsed = parseNumber(amount);
  if (!parsed.ok || NUMBER.test(amount) || !(parsed.unit ?? '元').endsWith('元')) return null;
  const own = amount.replace(/\D/g, '');
  if (own === '' || !digits.replace(/\D/g, '').startsWith(own)) return null;
  // 2,438,736 and the digits setup's 2.438.736: both readers saw every digit, only the separators'
  // name differs (the digits setup knows no comma), so the readings agree (two readers, settle-readings).
  const agreed = THOUSANDS.test(amount) && separatorsAsPoints(digits, own) && solidDigits(ink) === own.length;
  const confidence = agreed
    ? 1 - (1 - Math.max(readingScore(label, 'label'), digitsRead.confidence)) * AGREEMENT_DOUBT
    : Math.min(readingScore(label, 'label'), cap);
  return { text: amount, confidence, alternatives: digits === '' ? [] : [digits], kind: 'label', rows };
}

/** The digits setup's text is `own` with points where thousands separators print (2.438.736, 2438.736). */
function separatorsAsPoints(text: string, own: string): boolean {
  return (
    POINTS_AS_GROUPS.test(text) &&
    text.replace(/\./g, '') === own &&
    text.split('.').every((g, i) => i === 0 || g.length % 3 === 0)
  );
}

/** Upright glyphs of the ink: every digit stands as one, separators do not. */
function solidDigits(ink: InkReport | undefined): number {
  return ink ? ink.glyphs.filter(isSolid).length : -1;
}

/** A digits-setup reading with points where thousands separators would sit (4.597, 3397.603, 2.438736). */
const POINTS_AS_GROUPS = /^\d+(\.\d+)+$/;

/**
 * A count printed with thousands separators is read by the digits setup (which knows no comma) with
 * points in their place (4,597 as 4.597), and parse-number can only regroup it as a doubt: a point in a
 * count may be a separator or a misread. The label setup — another model — reads the separators as
 * they print: when it reads the same digits grouped in thousands, two readers agree on the digits
 * and on what the marks were, and its text (4,597) is kept with the confidence of two agreeing
 * crops (settle-readings). Only when no reader saw other digits and every digit is an upright glyph
 * of the ink. Else the reading stays as it was. A 万元 cell read this way still lacks its point and stays
 * doubtful (doubtful-readings.ts).
 */
export async function separatorsRead(
  reading: CellReading,
  raster: GrayRaster,
  ink: InkReport,
  inkHeight: number,
  dpi: number,
  engine: OcrEngine,
): Promise<CellReading> {
  const digits = reading.text.replace(/\./g, '');
  if (reading.kind !== 'digits' || reading.rows !== 1 || !separatorsAsPoints(reading.text, digits)) return reading;
  // No reader saw other digits (a disagreement is the tie-breaker's, not this rule's).
  if (reading.alternatives.some((a) => a.replace(/\D/g, '') !== digits)) return reading;
  // Every digit stands in the ink as an upright glyph, the separators do not: nothing lost or invented.
  if (solidDigits(ink) !== digits.length) return reading;
  // The ink read as one line by the label setup, as a label's row is (same crop, quiet zone and enlargement).
  const label = await readOneRow(raster, ink, inkHeight, dpi, engine);
  if (!label) return reading;
  const text = label.text.replace(/\s/g, '').replace(/，/g, ',');
  if (!THOUSANDS.test(text) || text.replace(/,/g, '') !== digits) return reading;
  return {
    ...reading,
    text,
    confidence: 1 - (1 - Math.max(reading.confidence, readingScore(label, 'label'))) * AGREEMENT_DOUBT,
    alternatives: [reading.text, ...reading.alternatives.filter((a) => a !== text)],
  };
}
