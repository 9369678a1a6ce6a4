import type { Table } from '../model/index.js';
import { FUZZY_CAPTION_RE, readsAsCaption } from './map-table-two.js';
import { isValueText, parseNumber } from './parse-number.js';
import { readRows, tableText } from './read-rows.js';
import { normalizeLabel } from './normalize-label.js';
import { T3_TABLE_ANCHORS } from './schema.js';

export type TablePart = 't2' | 't3' | 't4';

const T3_ANCHORS = T3_TABLE_ANCHORS;
const T2_ANCHORS = ['第二十条', '信息内容', '行政许可', '行政处罚', '行政强制', '规范性文件', '事业性收费', '集中采购'];
const T4_ANCHORS = ['行政复议', '行政诉讼', '复议后起诉', '直接起诉', '结果维持', '结果纠正', '尚未审结'];
/** Rows of exactly this many numbers are table 四's data row. */
const T4_VALUES = 15;
/** Rows of this many trailing numbers look like a table-三 row. */
const T3_VALUES = 7;
/**
 * A grid with this many rows ending in seven cells, at least T3_DENSE_NUMBERS of them numbers, is
 * table 三 by its shape alone: on a standard-mode fax (98 lines an inch) OCR loses the labels' thin
 * strokes and no anchor survives, while the digits still read. Table 二 has at most four cells a
 * row and table 四 one or two data rows; a narrative table this deep and wide is not printed.
 */
const T3_DENSE_ROWS = 15;
const T3_DENSE_NUMBERS = 5;

function hits(text: string, anchors: readonly string[]): number {
  return anchors.filter((a) => text.includes(a)).length;
}

/** Table 二 rows have a label and at most three values. */
const T2_MAX_CELLS = 4;
/**
 * A table 二 repeats its 信息内容 caption over every mini-table: rows whose first cell reads as it
 * (readsAsCaption), or a garbled 第二十条 caption, this many times, with an item label read, mark the table as 二 when no 第二十条
 * caption and no section heading did (Noto Serif standard: every caption and heading garbled).
 */
const T2_MIN_CAPTIONS = 2;

function captionRows(table: Table): number {
  // A 第二十条第（N）项 caption read with its numbers garbled counts too (Noto Serif standard __1:
  // `第 .小条第〈() 项` over `舍息内容`, 信息内容 itself read twice past matching).
  return readRows(table).filter((r) => {
    const first = r.cells[0]?.text ?? '';
    return readsAsCaption(first) || FUZZY_CAPTION_RE.test(normalizeLabel(first));
  }).length;
}

/** What classification reads of one table. */
interface Features {
  readonly text: string;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
  readonly t2Shape: boolean;
  readonly t3Shape: boolean;
  readonly t15: boolean;
  /** Rows ending in seven cells, at least T3_DENSE_NUMBERS of them numbers. */
  readonly denseRows: number;
}

function features(table: Table): Features {
  const text = tableText(table);
  const rows = readRows(table);
  const numericRun = (n: number): boolean =>
    rows.some((r) => r.values.length >= n && r.values.some((c) => parseNumber(c.text).ok));
  const t15 = numericRun(T4_VALUES);
  const t3Shape = numericRun(T3_VALUES) && !t15;
  const denseRows = rows.filter(
    (r) =>
      r.cells.length >= T3_VALUES &&
      r.cells.slice(-T3_VALUES).filter((c) => parseNumber(c.text).ok).length >= T3_DENSE_NUMBERS,
  ).length;
  return {
    text,
    t2: hits(text, T2_ANCHORS),
    t3: hits(text, T3_ANCHORS),
    t4: hits(text, T4_ANCHORS),
    t2Shape: rows.every((r) => r.cells.length <= T2_MAX_CELLS),
    t3Shape,
    t15,
    denseRows,
  };
}

/**
 * Table 三 by its shape alone (no anchor read): deep enough in seven-number rows, counting the
 * next table when it continues it (same shape, no table-四 anchor): a 表三 split over two pages
 * leaves each half under T3_DENSE_ROWS (淮安市 2024 faxed: 13 + 13 rows, every label unreadable).
 */
function denseTableThree(f: Features, next: Features | undefined): boolean {
  if (!f.t3Shape || f.t4 > 0) return false;
  const continued = next && next.t3Shape && next.t4 === 0 && next.t3 === 0 && next.t2 === 0 ? next.denseRows : 0;
  return f.denseRows + continued >= T3_DENSE_ROWS;
}

/**
 * The part a scanned table sits under by its section heading (parts-by-heading), when no anchor was
 * read but the table has that part's shape: seven-value rows for 三, label + ≤3 cells with a number
 * for 二, fifteen columns for 四. Only raster tables: a text layer's labels always read.
 */
function headingShape(table: Table, f: Features, heading: TablePart | undefined): TablePart | null {
  if (!heading || table.detection !== 'raster') return null;
  if (heading === 't3') return f.t3Shape ? 't3' : null;
  if (heading === 't2') return f.t2Shape && /\d/.test(f.text) ? 't2' : null;
  return f.t15 || table.cols >= T4_VALUES ? 't4' : null;
}

/**
 * Which standard table each table is, or null (a narrative table: budget, staffing, training).
 * Anchors decide; a bare 15-number row marks table 四 when its header was lost. A fragment that
 * follows a table 三 (or 二) and has its row shape (7 trailing numbers; label + ≤3 values with an
 * item label) is a continuation the stitcher did not join. A scanned table no anchor places takes
 * the part of the section heading above it (`byHeading`) when it has that part's shape.
 */
export function classifyTables(
  tables: readonly Table[],
  byHeading: ReadonlyMap<Table, TablePart> = new Map(),
  byShape = false,
): Map<Table, TablePart | null> {
  const out = new Map<Table, TablePart | null>();
  const all = tables.map(features);
  let previous: TablePart | null = null;
  let previousHeading: TablePart | undefined;
  tables.forEach((table, i) => {
    const f = all[i]!;
    const { text, t2, t3, t4, t3Shape, t2Shape } = f;
    // A fragment continues the table before it unless another part's section heading lies between
    // (淮安市 standard: its 表四 under a 四、 heading, every anchor unread, took 表三's seven-number shape).
    // Only a heading passed since that table counts: one missed leaves both under the same one.
    const heading = byHeading.get(table);
    const continues = (p: TablePart): boolean =>
      previous === p && (heading === undefined || heading === p || heading === previousHeading);
    let part: TablePart | null = null;
    if (t3 >= 2 || (t3 === 1 && t3Shape) || denseTableThree(f, all[i + 1]) || (continues('t3') && t3Shape && t4 === 0))
      part = 't3';
    else if (
      text.includes('第二十条') ||
      (text.includes('信息内容') && t2 >= 2) ||
      (t2 >= 1 && t2Shape && captionRows(table) >= T2_MIN_CAPTIONS) ||
      (continues('t2') && t2 >= 1 && t2Shape)
    )
      part = 't2';
    else if (t4 >= 2 || (f.t15 && t2 === 0)) part = 't4';
    else part = headingShape(table, f, byHeading.get(table));
    out.set(table, part);
    if (part) [previous, previousHeading] = [part, heading];
  });
  return byShape ? withShapeGuesses(tables, all, out) : out;
}

/** A caption row by its shape: one cell across the whole table holding writing, over a row of several cells. */
function shapedCaptions(table: Table): number {
  const rows = readRows(table);
  return rows.filter(
    (r, i) =>
      r.cells.length === 1 &&
      r.cells[0]!.colSpan === table.cols &&
      r.cells[0]!.text.trim() !== '' &&
      !isValueText(r.cells[0]!.text) &&
      (rows[i + 1]?.cells.length ?? 0) > 1,
  ).length;
}

/**
 * Rows of table 二 as a standard-mode fax leaves them when no caption, label or heading read: at least
 * this many caption rows by shape (v2021 prints four mini-tables, v2019 five) and this many item rows
 * of a label and a number.
 */
const T2_SHAPED_CAPTIONS = 3;
const T2_SHAPED_ITEMS = 2;
/**
 * Table 四's data row read with a few cells garbled: this many of its fifteen cells still numbers or
 * blanks (a report prints blanks for none: Zen Hei standard __1 has seven numbers), this many numbers.
 */
const T4_SHAPED_VALUES = 12;
const T4_SHAPED_NUMBERS = 5;

/**
 * Parts the report still lacks, guessed from a scanned table's printed shape alone (Noto Serif
 * standard: 表二's captions read `第上条放( )贰`, `省1`, its heading `正动公开政府全总情况`; 表四's header
 * garbled and one value read `TT一`, so it passed for 表三's continuation). 表二: before every 表三,
 * rows of at most four cells, mini-table captions across the table. 表四: after 表三, fifteen columns
 * and a row of fifteen cells nearly all numbers or blanks (表三 has at most ten columns). A guess: map-report flags
 * every value of a table classified so (it differs from the anchors' classification).
 */
function withShapeGuesses(
  tables: readonly Table[],
  all: readonly Features[],
  parts: Map<Table, TablePart | null>,
): Map<Table, TablePart | null> {
  const has = (p: TablePart): boolean => [...parts.values()].includes(p);
  const firstT3 = tables.findIndex((t) => parts.get(t) === 't3');
  const lastT3 = tables.findLastIndex((t) => parts.get(t) === 't3');
  const out = new Map(parts);
  if (!has('t2') && firstT3 >= 0) {
    const t2 = tables.slice(0, firstT3).find((table, i) => {
      const f = all[i]!;
      const items = readRows(table).filter(
        (r) => r.cells.length > 1 && r.values.some((c) => parseNumber(c.text).ok) && r.label !== '',
      ).length;
      return (
        table.detection === 'raster' &&
        !parts.get(table) &&
        f.t2Shape &&
        f.t3 + f.t4 === 0 &&
        shapedCaptions(table) >= T2_SHAPED_CAPTIONS &&
        items >= T2_SHAPED_ITEMS
      );
    });
    if (t2) out.set(t2, 't2');
  }
  if (!has('t4') && lastT3 >= 0) {
    const t4 = tables.slice(lastT3).find((table, i) => {
      const f = all[lastT3 + i]!;
      const row = readRows(table).find(
        (r) =>
          r.cells.length === T4_VALUES &&
          r.cells.filter((c) => isValueText(c.text)).length >= T4_SHAPED_VALUES &&
          r.cells.filter((c) => parseNumber(c.text).ok).length >= T4_SHAPED_NUMBERS,
      );
      return table.detection === 'raster' && table.cols >= T4_VALUES && f.t2 === 0 && row !== undefined;
    });
    if (t4) out.set(t4, 't4');
  }
  return out;
}
