import type { Page, Table } from '../model/index.js';
import { approxIncludes } from './approx-includes.js';
import type { TablePart } from './classify-tables.js';
import { normalizeLabel } from './normalize-label.js';

/**
 * Section headings in reading order, with the table part printed under each (null: a section
 * without a standard table, which ends the one above). The words after the numeral, as printed.
 */
const HEADINGS: readonly { readonly part: TablePart | null; readonly words: string }[] = [
  { part: null, words: '总体情况' },
  { part: 't2', words: '主动公开政府信息情况' },
  { part: 't3', words: '收到和处理政府信息公开申请情况' },
  { part: 't4', words: '政府信息公开行政复议行政诉讼情况' },
  { part: null, words: '存在的主要问题及改进情况' },
  { part: null, words: '其他需要报告的事项' },
];
/** One misread, lost or added character per this many of the heading's words (收到和处再…由请情况: 2 of 15). */
const CHARS_PER_EDIT = 6;
/** A heading line holds the words plus a numeral, its comma and stray marks; a longer line is prose quoting them. */
const MAX_EXTRA_CHARS = 4;

interface Mark {
  readonly page: number;
  readonly y: number;
  readonly part: TablePart | null;
}

function headingPart(text: string): TablePart | null | undefined {
  const label = normalizeLabel(text).replace(/[、，,.:：;；]/g, '');
  for (const h of HEADINGS) {
    const edits = Math.floor(h.words.length / CHARS_PER_EDIT);
    if (label.length <= h.words.length + MAX_EXTRA_CHARS && approxIncludes(label, h.words, edits)) return h.part;
  }
  return undefined;
}

/**
 * Which standard table each table sits under, by the last section heading above it on the page or
 * the pages before. Headings are matched allowing a few misread characters: on a standard-mode fax
 * (98 lines an inch) the bold headings survive while the tables' labels do not, so no anchor
 * classifies the tables (synth-2019-2: 、王动公开政府信息情况, :、收到和处再政府信息公开由请情况).
 * Evidence for classify-tables, which still asks for the part's shape.
 */
export function partsByHeading(pages: readonly Page[], tables: readonly Table[]): Map<Table, TablePart> {
  const marks: Mark[] = [];
  for (const page of pages) {
    for (const line of page.lines) {
      const part = headingPart(line.text);
      if (part !== undefined) marks.push({ page: page.number, y: line.box.y0, part });
    }
  }
  const before = (a: { page: number; y: number }, b: { page: number; y: number }): boolean =>
    a.page < b.page || (a.page === b.page && a.y < b.y);
  const out = new Map<Table, TablePart>();
  for (const table of tables) {
    const at = { page: table.pages[0] ?? 0, y: table.box.y0 };
    const last = marks
      .filter((m) => before(m, at))
      .reduce<Mark | undefined>((a, m) => (!a || before(a, m) ? m : a), undefined);
    if (last?.part) out.set(table, last.part);
  }
  return out;
}
