import type { ReportCell } from '../model/index.js';
import { numberKindOf } from '../report/schema.js';

/** Above this many 万元 (10 亿元) an amount is implausible for the unit: a lost point or a unit misread. */
const MAX_WAN = 100_000;
const MINUS = /^[-−－]/;
const PLUS = /^[+＋]/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The narrative prints this amount with its unit (`4.16万元`, `251000 元`). */
function statedAmount(text: string, value: number): boolean {
  return new RegExp(`(?<![\\d.])${escapeRegExp(String(value))}\\s*万?元`).test(text);
}

/** The narrative says which way an item count moved by `size` (减少 3 项 / 增加 3 项), or null. */
function statedChange(text: string, size: number): 1 | -1 | null {
  const n = `\\s*${size}\\s*(项|个|件)`;
  if (new RegExp(`(减少|下降|精简|取消)${n}`).test(text)) return -1;
  if (new RegExp(`(增加|新增|上升)${n}`).test(text)) return 1;
  return null;
}

function doubtOfDecimal(cell: ReportCell, value: number, text: string): string | null {
  if (value === 0 || statedAmount(text, value)) return null;
  const raw = (cell.raw ?? '').trim();
  const wan = cell.unit !== '元';
  if (wan && value > MAX_WAN) return `${value} 万元 is implausible for the unit`;
  // 4.16 read as 416, 27.99 as 2799: a whole number in a 万元 cell may be a point the scan lost.
  if (!raw.includes('.') && wan) return `read as ${raw} without a decimal point`;
  return null;
}

function doubtOfSigned(cell: ReportCell, value: number, text: string, signless: boolean): string | null {
  if (value === 0) return null;
  const raw = (cell.raw ?? '').trim();
  const said = statedChange(text, Math.abs(value));
  if (said !== null)
    return said === Math.sign(value) ? null : `the text says the change was ${said < 0 ? 'a fall' : 'a rise'}`;
  if (MINUS.test(raw) || PLUS.test(raw)) return null;
  // Unsigned: a rise printed plain, or a fall whose minus sign the scan lost; no exact rule can tell,
  // but the page can: a cell with nothing printed where its sign would be shows a rise.
  if (signless) return null;
  return 'sign not printed or not read: a lost minus would pass';
}

/**
 * OCR readings that no exact rule can check and whose form leaves room for a silent misread: decimal
 * cells read without a point or implausible for the unit, signed changes read without a sign. The
 * narrative's own figure, when it states one, settles the doubt, and so does a blank where a sign
 * would print (`signless`: the reading saw nothing there). Key → why.
 */
export function doubtfulReadings(
  cells: Readonly<Record<string, ReportCell>>,
  isOcr: (key: string) => boolean,
  text: string,
  signless: (key: string) => boolean = () => false,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const cell of Object.values(cells)) {
    if (cell.value === null || !isOcr(cell.key)) continue;
    const kind = numberKindOf(cell.key);
    const why =
      kind === 'decimal'
        ? doubtOfDecimal(cell, cell.value, text)
        : kind === 'signed'
          ? doubtOfSigned(cell, cell.value, text, signless(cell.key))
          : null;
    if (why) out.set(cell.key, why);
  }
  return out;
}
