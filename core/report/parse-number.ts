import { foldText } from './normalize-label.js';

export type NumberKind = 'count' | 'signed' | 'decimal';

export type ParsedNumber =
  | {
      readonly ok: true;
      readonly value: number;
      readonly unit?: string;
      /** The text needed cleaning beyond trimming (full-width digits, separators, units, signs). */
      readonly cleaned: boolean;
      /** Some digit was a look-alike letter (O for 0, l for 1): a font OCR read as text. */
      readonly lookalike?: boolean;
    }
  | { readonly ok: false; readonly value: null; readonly reason: 'blank' | 'unparsable' };

/** Cell texts that mean "none" (domain.md §7.3). */
const BLANK_MARKERS: ReadonlySet<string> = new Set(['', '-', '--', '—', '——', '/', '无', '－', '–', '…']);

const UNIT_RE = /(万元|亿元|元|件|条|个|项|次|人次)$/;
const NUMBER_RE = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

/** A cell's text as the number parsers read it: folded (NFKC: full-width digits, signs, commas), no whitespace. */
function numberText(raw: string): string {
  return foldText(raw).replace(/\s+/g, '').replace(/[，]/g, ',');
}

/**
 * Letters a CJK recogniser returns for the digits of some faces (a wide 0 read as O, 〇 or 口, a thin
 * serif 1 as l, I or 丨): in a cell that holds nothing else they are those digits.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0',
  o: '0',
  〇: '0',
  口: '0',
  l: '1',
  I: '1',
  '|': '1',
  丨: '1',
};
const LOOKALIKE_NUMBER = /^[\dOo〇口lI|丨]+$/;

/** The text with look-alike letters as digits, when it is all digits and look-alikes with at least one letter. */
function unLookalike(text: string): string | null {
  if (!LOOKALIKE_NUMBER.test(text) || /^\d+$/.test(text)) return null;
  const digits = [...text].map((ch) => LOOKALIKES[ch] ?? ch).join('');
  // A lone 1-like stroke (l, |) is as often a rule remnant as a 1; only a 0-like letter stands alone.
  return digits.length === 1 && digits !== '0' ? null : digits;
}

/**
 * Parses one table cell. Full-width digits and signs fold through NFKC; thousands separators,
 * a trailing unit (元, 万元, 件…) and a leading explicit sign are accepted. With `lookalikes` (OCR
 * readings only: a text layer's glyphs are exact) digits read as look-alike letters count too.
 * Anything else is unparsable rather than guessed at.
 */
export function parseNumber(raw: string, opts: { readonly lookalikes?: boolean } = {}): ParsedNumber {
  const text = numberText(raw);
  if (BLANK_MARKERS.has(text)) return { ok: false, value: null, reason: 'blank' };
  let body = text;
  let unit: string | undefined;
  const unitMatch = UNIT_RE.exec(body);
  if (unitMatch) {
    unit = unitMatch[1];
    body = body.slice(0, -unitMatch[0].length);
  }
  const m = NUMBER_RE.exec(body);
  if (!m) {
    const digits = opts.lookalikes && unit === undefined ? unLookalike(body) : null;
    return digits === null
      ? { ok: false, value: null, reason: 'unparsable' }
      : { ok: true, value: Number(digits), cleaned: true, lookalike: true };
  }
  const digits = (m[2] ?? '').replace(/,/g, '');
  const value = Number(`${m[1] ?? ''}${digits}${m[3] !== undefined ? `.${m[3]}` : ''}`);
  if (!Number.isFinite(value)) return { ok: false, value: null, reason: 'unparsable' };
  const cleaned = text !== raw.trim() || unit !== undefined || body.includes(',') || m[1] !== undefined;
  return unit !== undefined
    ? { ok: true, value: Object.is(value, -0) ? 0 : value, unit, cleaned }
    : { ok: true, value: Object.is(value, -0) ? 0 : value, cleaned };
}

/**
 * A count printed with thousands separators that OCR read as decimal points ("4,597" → "4.597",
 * "3,397,603" → "3.397603" when one separator was lost): every group after the first holds a
 * multiple of three digits. Returns the integer, or null when the text is not shaped like that.
 * Only for count cells, which cannot hold a fraction; the caller keeps the reading flagged.
 */
export function regroupCount(raw: string): number | null {
  const text = numberText(raw);
  const m = /^([+-])?(\d+(?:[.,]\d+)+)$/.exec(text);
  if (!m) return null;
  const [first, ...rest] = (m[2] ?? '').split(/[.,]/);
  if (!first || rest.length === 0 || !rest.every((g) => g.length > 0 && g.length % 3 === 0)) return null;
  const value = Number(`${m[1] ?? ''}${first}${rest.join('')}`);
  return Number.isSafeInteger(value) ? value : null;
}

/** True when a cell's text is a number or a blank marker: a value cell rather than a label. */
export function isValueText(raw: string): boolean {
  const parsed = parseNumber(raw);
  return parsed.ok || parsed.reason === 'blank';
}

/** Unit named in a header such as 采购总金额（万元） or 本年收费金额（单位：万元）. */
export function unitFromHeader(header: string): string | undefined {
  const m = /[(（](?:单位[:：])?(万元|亿元|元)[)）]/.exec(foldText(header));
  return m ? m[1] : undefined;
}

/** Text that reads as a label: not a number or blank marker, and written with ideographs. */
export function isLabelText(raw: string): boolean {
  return !isValueText(raw) && /[\u4e00-\u9fff]/.test(raw);
}
