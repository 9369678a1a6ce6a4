import type { Cell, Table, TemplateVersion } from '../model/index.js';
import { alignByColumns, centreOf, underHeaderCentres } from './align-by-columns.js';
import type { MappedPart, MappedValue } from './mapped-value.js';
import { t3Label, t3SubItem } from './labels.js';
import { nearestLabel } from './nearest-label.js';
import { normalizeLabel } from './normalize-label.js';
import { isLabelText, parseNumber } from './parse-number.js';
import { readRows, type TableRow } from './read-rows.js';
import { DROPPED, oneOtherRow, twoLabelsInOne, unpinnedRows, type Placed } from './t3-row-pins.js';
import { T3_COLUMNS, T3_HEADER_ANCHORS, t3Anchor, t3Rows, type T3RowSpec } from './schema.js';

/** Header words of table 三 in column order; `其他` is matched only inside header rows. */
const HEADER_COLUMNS: readonly (readonly string[])[] = [
  ['自然人'],
  ['商业企业', '商业企'],
  ['科研机构', '科研机'],
  ['社会公益组织', '社会组织', '社会公', '社会组'],
  ['法律服务机构', '法律服'],
  ['其他'],
  ['总计'],
];
/**
 * In a value column of a fitting grid, text counts as a drifted label only with this many ideographs but 一 (a
 * fax stroke through a 0 reads 一一); fewer is OCR junk in a number cell (口 for 0), kept as an unparsable value.
 */
const DRIFT_LABEL_MIN = 3;

function ideographs(text: string): number {
  return (text.match(/[\u4e01-\u9fff]/g) ?? []).length;
}

/** Seven values plus a stray numeric cell (a sub-item number set apart) at most. */
const MAX_ROW_NUMBERS = T3_COLUMNS.length + 1;
const HEADER_MARKERS = [...T3_HEADER_ANCHORS, '自然人', '商业企业', '科研机构', '法人或其他组织'];

/** The v2021 row `3.其他` has no anchor of its own: a bare 其他 with an optional number. */
const OTHER_OTHER_RE = /(^|\d[.、)]|\))其他$/;

/**
 * The sub-item number (1.–8.) read at the start of a row's innermost label cell: on a fax whose 仿宋
 * labels OCR garbles, the number often survives (`5和上炎册部于鼻人4`, `7`). A digit followed by
 * another digit is not one (a value drifted left).
 */
const SUB_ITEM_RE = /^([1-8])(?![0-9])/;

function subItemNumber(cells: readonly Cell[], valueStart: number): number | null {
  // Left of the seven value cells: a short row's first value sits left of valueStart too.
  const inner = cells
    .slice(0, -T3_COLUMNS.length)
    .filter((c) => c.col < valueStart && c.text.trim() !== '')
    .pop();
  const m = inner ? SUB_ITEM_RE.exec(normalizeLabel(inner.text)) : null;
  return m ? Number(m[1]) : null;
}

function isHeaderRow(row: TableRow): boolean {
  if (row.header) return true;
  const text = normalizeLabel(row.cells.map((c) => c.text).join(''));
  return HEADER_MARKERS.some((m) => text.includes(m)) && !row.cells.some((c) => parseNumber(c.text).ok);
}

/** Column centres of the seven value columns, when a header names all of them. */
function headerCentres(rows: readonly TableRow[]): number[] | null {
  const centres: (number | null)[] = HEADER_COLUMNS.map(() => null);
  for (const row of rows.filter(isHeaderRow)) {
    for (const cell of row.cells) {
      const text = normalizeLabel(cell.text);
      const i = HEADER_COLUMNS.findIndex((words) =>
        words.some((w) => text === w || (w.length > 2 && text.includes(w))),
      );
      if (i >= 0 && centres[i] === null) centres[i] = centreOf(cell);
    }
  }
  return centres.every((c) => c !== null) ? (centres as number[]) : null;
}

/** First grid column holding values: the 自然人 header's column, else the seventh from the right. */
function valueStartOf(table: Table, rows: readonly TableRow[]): number {
  for (const row of rows.filter(isHeaderRow)) {
    const cell = row.cells.find((c) => normalizeLabel(c.text) === '自然人');
    if (cell) return cell.col;
  }
  return Math.max(0, table.cols - T3_COLUMNS.length);
}

/** A v2021 report printing （六）其他处理 as one row with numbers (the v2019 layout). */
const SINGLE_OTHER_RE = new RegExp(`${t3Anchor('other_handling')}$`);
const SINGLE_OTHER: T3RowSpec = { key: 'other_handling', anchors: [t3Anchor('other_handling')], versions: ['v2021'] };

/** A printed row label's words this long or longer are matched approximately (a fax: 四、纳转下年度继续办角)… */
const NEAR_MIN_CHARS = 6;
/** …with at most one character wrong, lost or added in this many. */
const NEAR_CHARS_PER_EDIT = 4;

/** Words of the printed row label (its numbering 一、 （一） 1. left out) matched approximately: one edit in four characters, six or more. */
const words = (key: string): string =>
  normalizeLabel(t3Label('row', key)).replace(
    /^(?:[一二三四五六七八九十]、|[（(][一二三四五六七八九十][）)]|\d\.)/,
    '',
  );

function nearestRow(label: string, specs: readonly T3RowSpec[]): T3RowSpec | undefined {
  return nearestLabel(
    label,
    specs.map((spec) => ({ value: spec, words: [words(spec.key)] })),
    NEAR_CHARS_PER_EDIT,
    NEAR_MIN_CHARS,
  );
}

function matchRow(label: string, specs: readonly T3RowSpec[], hasNumber: boolean): T3RowSpec | undefined {
  const hit = specs.find((s) => s.anchors.some((a) => label.includes(a))) ?? nearestRow(label, specs);
  if (hit) return hit;
  if (hasNumber && SINGLE_OTHER_RE.test(label) && !specs.some((s) => s.key === 'other_handling')) return SINGLE_OTHER;
  return OTHER_OTHER_RE.test(label) ? specs.find((s) => s.key === 'other_other') : undefined;
}

/**
 * Maps table 三 (one stitched table or several fragments, in order) onto row keys by label
 * anchors, with the fixed row order as fallback, and onto the seven columns by order: the
 * trailing seven cells of the value area, or header column centres when a row lacks cells.
 */
export function mapTableThree(tables: readonly Table[], version: TemplateVersion): MappedPart {
  const specs = t3Rows(version);
  const values: MappedValue[] = [];
  const notes: string[] = [];
  const assigned = new Set<string>();
  /** Keys assigned from rows without a single number; a later row with numbers may take them over. */
  const blankKeys = new Set<string>();
  let lastIndex = -1;
  let pending = '';
  /** Full rows of blanks under unreadable labels since the last placed row (a blank-style report's outcome rows). */
  let blankRows: BlankRow[] = [];
  let centres: number[] | null = null;
  /** Rows in table order: which key each took and whether by order; rows with numbers that were dropped too. */
  const placed: Placed[] = [];
  /** Keys whose label matched two rows with numbers: which one is real, the labels cannot say. */
  const repeated = new Set<string>();
  /**
   * Rows placed by order whose own sub-item number agrees. They are trusted themselves but pin no
   * neighbour: one digit is less than a label, and the rows it would pin by their count alone let a
   * 4 read as 1 pass (淮安市 2024 faxed: the same misread in 本年新收 and 总计 kept H2).
   */
  const pinnedByNumber = new Set<string>();
  /** The two rows of a label read as two rows' labels joined (twoLabelsInOne): which is which was a judgement, flagged. */
  const joined = new Set<string>();
  /** The pending blank rows take `keys` in order, flagged (`guide`: the columns to read them by, else their own). */
  const placeBlankRows = (
    keys: readonly T3RowSpec[],
    how: { readonly byOrder: boolean; readonly guide?: ColumnGuide; readonly where: string },
  ): void =>
    keys.forEach((spec, i) => {
      const row = blankRows[i]!;
      notes.push(`table 三: blank row "${row.label}" ${how.where} as ${spec.key} by row order`);
      assigned.add(spec.key);
      placed.push({ key: spec.key, index: specs.indexOf(spec), byOrder: how.byOrder });
      values.push(...placeColumns(spec.key, row.area, how.guide ?? row.guide, row.tableId, true));
    });
  for (const table of tables) {
    const rows = readRows(table);
    centres = headerCentres(rows) ?? centres;
    const valueStart = valueStartOf(table, rows);
    const guide: ColumnGuide = { valueStart, gridFits: table.cols - valueStart === T3_COLUMNS.length, centres };
    for (const [r, row] of rows.entries()) {
      if (isHeaderRow(row)) continue;
      // Labels can drift into the value area (sub-labels in the 自然人 slot): text is label, numbers are values.
      // Blank cells left of the value columns are label padding; numbers there still count (fragments whose grid is offset).
      const labelCells = row.cells.filter(
        (c) =>
          (isLabelText(c.text) && (c.col < valueStart || !guide.gridFits || ideographs(c.text) >= DRIFT_LABEL_MIN)) ||
          (c.col < valueStart && c.text.trim() === ''),
      );
      const own = normalizeLabel(labelCells.map((c) => c.text).join(''));
      const area = row.cells.filter((c) => !labelCells.includes(c));
      const label = pending + own;
      const numbers = area.filter((c) => parseNumber(c.text).ok).length;
      const hasNumber = numbers > 0;
      // In a grid whose last seven columns are the value columns, digits left of them are a label misread
      // (洪泽区 2024 standard: （七）总计 read 111 | 1 beside its seven values), not values of another table.
      const valueNumbers = guide.gridFits
        ? area.filter((c) => c.col >= valueStart && parseNumber(c.text).ok).length
        : numbers;
      if (valueNumbers > MAX_ROW_NUMBERS) {
        notes.push(`table 三: a row with ${valueNumbers} numbers is not a table-三 row; skipped`);
        placed.push(DROPPED);
        pending = '';
        continue;
      }
      if (label === '' && area.length === 0) continue;
      // A sliver row with no label and nothing written, short of the seven value cells (a dash a fax left
      // across a label spanning it): it neither ends a run of blank rows nor joins the label under it
      // (Noto Serif standard __1: 2.没有现成信息… then 3.补正后… read as one label, 3.'s values under 2.).
      if (own === '' && area.length < T3_COLUMNS.length && area.every((c) => c.text.trim() === '')) continue;
      let spec = matchRow(label, specs, hasNumber);
      const before =
        spec && !assigned.has(spec.key) ? twoLabelsInOne(label, spec, specs, lastIndex, rows[r + 1], words) : undefined;
      if (before && !assigned.has(before.key)) {
        notes.push(
          `table 三: row "${label}" holds ${before.key}'s and ${spec!.key}'s labels over an unlabelled row; placed as ${before.key} by order, flagged`,
        );
        joined.add(before.key).add(spec!.key);
        spec = before;
      }
      let byOrder = before !== undefined;
      let numbered = false;
      if (spec && assigned.has(spec.key)) {
        if (!hasNumber) continue; // second half of a label split over two rows
        const byOrderAt = placed.findIndex((p) => p.key === spec!.key && p.byOrder);
        if (!blankKeys.has(spec.key) && byOrderAt < 0) {
          notes.push(`table 三: row "${label}" repeats ${spec.key}; the first one is kept, flagged`);
          repeated.add(spec.key);
          placed.push(DROPPED);
          continue;
        }
        // The first match was a row without numbers (a header line misread as 总计…), or a row placed by
        // order only (a fax header line with stray digits): the row whose label says so wins.
        const prefix = `applications.${spec.key}.`;
        values.splice(0, values.length, ...values.filter((v) => !v.key.startsWith(prefix)));
        if (byOrderAt >= 0) {
          placed[byOrderAt] = DROPPED;
          notes.push(`table 三: row placed by order as ${spec.key} replaced by "${label}", which its label names`);
        } else notes.push(`table 三: blank row for ${spec.key} replaced by "${label}" which has numbers`);
      }
      if (!spec) {
        if (!hasNumber) {
          pending = label; // a group label or the first half of a split label
          // A full row of blanks under an unreadable label: placed by order once the next row is known.
          blankRows =
            area.length >= T3_COLUMNS.length ? [...blankRows, { area, label: own, tableId: table.id, guide }] : [];
          continue;
        }
        // Before the first row, in a grid whose last seven columns are the value columns, a data row has a
        // cell in each of them; a header line (spanned 法人或其他组织, the sub-header under it) has fewer,
        // whatever digits OCR found in it (淮安市 2024 faxed: two header lines took 本年新收 and 上年结转
        // by order). Further down, such a row is rows merged by a lost rule: placed by order and flagged.
        if (placed.length === 0 && guide.gridFits && area.length < T3_COLUMNS.length) {
          notes.push(`table 三: row "${label}" has numbers but not the seven value cells of a row; taken for a header`);
          pending = label;
          continue;
        }
        // The blank rows above it hold the template rows before it: a fax that garbled three labels of
        // a blank-style report must not put the next row's numbers into the first of them.
        const open = specs.slice(lastIndex + 1).filter((s) => !assigned.has(s.key));
        spec = open[blankRows.length] ?? open[0];
        if (!spec) {
          notes.push(`table 三: row "${label}" matches no key`);
          placed.push(DROPPED);
          continue;
        }
        // The row's own printed sub-item number agreeing with the row the order gives pins it like a
        // label; a number that disagrees (a row lost or merged above) leaves it placed by order.
        const number = subItemNumber(row.cells, valueStart);
        numbered = number !== null && t3SubItem(spec.key) === number;
        byOrder = !numbered;
        notes.push(
          byOrder
            ? `table 三: row "${label}" placed as ${spec.key} by row order`
            : `table 三: row "${label}" placed as ${spec.key} by row order and its sub-item number ${number}`,
        );
      }
      if (spec === SINGLE_OTHER)
        notes.push('table 三: （六）其他处理 is printed as one row (v2019 layout); its v2021 sub-rows are missing');
      const index = specs.indexOf(spec);
      const skipped = specs.slice(lastIndex + 1, index < 0 ? lastIndex + 1 : index).filter((s) => !assigned.has(s.key));
      // As many blank rows as template rows skipped: each takes its row by order.
      if (blankRows.length > 0 && skipped.length === blankRows.length)
        placeBlankRows(skipped, { byOrder: skipped.length > 1, guide, where: 'placed' });
      blankRows = [];
      pending = '';
      assigned.add(spec.key);
      if (hasNumber) blankKeys.delete(spec.key);
      else blankKeys.add(spec.key);
      const at = spec === SINGLE_OTHER ? specs.findIndex((s) => s.key === 'other_other') : specs.indexOf(spec);
      // Only rows with numbers move the order cursor: a stray blank match must not skip the rest.
      if (hasNumber) lastIndex = Math.max(lastIndex, at);
      // Rows matched by their label pin the order even when blank.
      // The one-row （六）其他处理 stands for its three sub-rows: the rows above it are pinned by the first.
      const first = spec === SINGLE_OTHER ? specs.findIndex((s) => s.key === 'other_no_correction') : -1;
      placed.push({ key: spec.key, index: at, byOrder: byOrder || numbered, ...(first >= 0 ? { first } : {}) });
      if (numbered) pinnedByNumber.add(spec.key);
      values.push(...placeColumns(spec.key, area, guide, table.id, byOrder));
    }
  }
  // Full rows of blanks after the last row placed, as many as the template rows left (a blank-style v2019
  // report's 四、结转下年度继续办理 under a label the fax garbled): the template's last rows, by order, flagged.
  const left = specs.slice(lastIndex + 1).filter((s) => !assigned.has(s.key));
  if (lastIndex >= 0 && blankRows.length > 0 && left.length === blankRows.length)
    placeBlankRows(left, { byOrder: true, where: 'after the last row placed' });
  const unsure = unpinnedRows(placed, specs.length);
  for (const key of pinnedByNumber) unsure.delete(key);
  for (const key of unsure) notes.push(`table 三: ${key} placed by row order without anchors on both sides; flagged`);
  for (const key of [...repeated, ...joined]) unsure.add(key);
  const out = values.map((v) => (unsure.has(v.key.split('.')[1] ?? '') ? { ...v, ambiguous: true } : v));
  return { values: oneOtherRow(placed, out, notes), notes };
}

/** Wide text-aligned grids leave empty cells right of the total; they are not values. */
function trimTrailingBlanks(area: readonly Cell[]): Cell[] {
  const out = area.slice();
  while (out.length > T3_COLUMNS.length && (out[out.length - 1]?.text.trim() ?? '') === '') out.pop();
  return out;
}

/** A full row of blanks under an unreadable label, placed once the rows after it are known. */
interface BlankRow {
  readonly area: readonly Cell[];
  readonly label: string;
  readonly tableId: string;
  readonly guide: ColumnGuide;
}

/** Where the seven value columns sit: a grid whose last seven columns are exactly the value columns, or header centres. */
interface ColumnGuide {
  readonly valueStart: number;
  readonly gridFits: boolean;
  readonly centres: number[] | null;
}

/** Slots by grid column: exact on ruled and raster grids whose value columns are the last seven. */
function byGridColumn(area: readonly Cell[], valueStart: number): (Cell | null)[] {
  const slots: (Cell | null)[] = T3_COLUMNS.map(() => null);
  for (const cell of area) {
    const i = cell.col - valueStart;
    if (i >= 0 && i < slots.length && cell.colSpan === 1) slots[i] = cell;
  }
  return slots;
}

function placeColumns(
  rowKey: string,
  rawArea: readonly Cell[],
  guide: ColumnGuide,
  tableId: string,
  byOrder: boolean,
): MappedValue[] {
  const area = trimTrailingBlanks(rawArea);
  let slots: (Cell | null)[];
  let ambiguous = false;
  // Cells right of the label columns (a garbled label left of them, 4.■■■■, is no extra column).
  const valueCells = area.filter((c) => c.col >= guide.valueStart);
  const underHeader =
    valueCells.length > T3_COLUMNS.length && guide.centres ? underHeaderCentres(valueCells, guide.centres) : null;
  if (underHeader) {
    // More cells than columns: the last seven would shift every column left of an extra one (Micro Hei
    // fine, v2019: 表二's column rules cut 表三's 科研机构 in two, and 0 under 自然人 went missing).
    slots = underHeader.slots;
    ambiguous = underHeader.doubtful;
  } else if (area.length >= T3_COLUMNS.length) slots = area.slice(-T3_COLUMNS.length);
  else if (guide.gridFits) slots = byGridColumn(area, guide.valueStart);
  else if (guide.centres) slots = alignByColumns(area, guide.centres);
  else {
    // No header to align against: right-align and say so.
    slots = [...T3_COLUMNS.slice(area.length).map(() => null), ...area];
    ambiguous = area.length > 0;
  }
  const out: MappedValue[] = [];
  slots.forEach((cell, i) => {
    if (!cell) return;
    out.push({
      key: `applications.${rowKey}.${T3_COLUMNS[i]}`,
      cell,
      tableId,
      ...(byOrder ? { byOrder } : {}),
      ...(ambiguous ? { ambiguous } : {}),
    });
  });
  return out;
}
