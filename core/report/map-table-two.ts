import type { Cell, Table, TemplateVersion } from '../model/index.js';
import type { MappedPart, MappedValue } from './mapped-value.js';
import { approxIncludes } from './approx-includes.js';
import { t2Groups, t2ItemLabel } from './labels.js';
import { nearestLabel } from './nearest-label.js';
import { normalizeLabel } from './normalize-label.js';
import { isValueText, unitFromHeader } from './parse-number.js';
import { readRows } from './read-rows.js';
import { fillsGroupByOrder, itemByShape, lostItem } from './t2-row-shape.js';
import { T2_COLUMN_ANCHORS, T2_ITEMS, type T2ItemSpec } from './schema.js';

interface HeaderColumn {
  readonly key: string | null;
  readonly cell: Cell;
  readonly unit?: string;
}

function columnKey(text: string): string | null {
  const label = normalizeLabel(text);
  return T2_COLUMN_ANCHORS.find((c) => c.anchors.some((a) => label.includes(a)))?.key ?? null;
}

const CAPTION = '信息内容';

/**
 * How many leading cells of a row spell the column caption 信息内容, or 0. On a scan a stray rule
 * splits the caption cell (信息 | 容) and the cut can take a character with it: one character may
 * be misread or lost, the first cell must still start with 信息.
 */
function captionCells(cells: readonly Cell[]): number {
  let text = '';
  for (let i = 0; i < Math.min(2, cells.length); i++) {
    text += normalizeLabel(cells[i]!.text);
    if (text.startsWith(CAPTION) || (i === 0 && readsAsCaption(text))) return i + 1;
    if (i === 1 && text.startsWith('信息') && approxIncludes(text, CAPTION, 1)) return 2;
  }
  return 0;
}

/** A caption cell this long at most… */
const CAPTION_MAX_CHARS = 6;

/**
 * …reads as 信息内容 with one character wrong, or ends in 内容 (a fax: 介岂内容, 舍忆内容,
 * 信息内窜): the caption over a mini-table's header words.
 */
export function readsAsCaption(cell: string): boolean {
  const text = normalizeLabel(cell);
  return text.length <= CAPTION_MAX_CHARS && (text.endsWith('内容') || approxIncludes(text, CAPTION, 1));
}

/** A misread item label keeps at most one character wrong, lost or added in this many of the printed label. */
const CHARS_PER_EDIT = 3;
/** …and holds at most this many characters besides it (a stray mark, a rule read as 丨). */
const MAX_EXTRA_CHARS = 2;

/**
 * The item whose printed label (labels.ts) a misread row label spells with a few characters wrong,
 * when no other item's label comes as close (a fax: 行政许避, 行政处划, 行政吾业性收弘): the printed
 * label or one of its anchors (其他对外管理服务事项 read as 他对外答邢服务亡项: 对外管理服务 with two
 * wrong). 规章 is too short to tell from a misreading.
 */
function nearestItem(label: string, items: readonly T2ItemSpec[], version: TemplateVersion): T2ItemSpec | undefined {
  return nearestLabel(
    label,
    items.map((item) => {
      const printed = normalizeLabel(t2ItemLabel(item.key, version));
      return { value: item, words: label.length > printed.length + MAX_EXTRA_CHARS ? [] : [printed, ...item.anchors] };
    }),
    CHARS_PER_EDIT,
  );
}

function matchItem(label: string, items: readonly T2ItemSpec[], version: TemplateVersion): T2ItemSpec | undefined {
  return items.find((item) => item.anchors.some((a) => label.includes(a))) ?? nearestItem(label, items, version);
}

/**
 * A 第二十条 caption as OCR reads it off a fax (`第:条第人-)巩`, `第一十条第〈六) 项`), its first 第 misread
 * when 二十条第 survived at the start (Zen Hei standard __1: `条二十条第 (五) 吉`, `委二十条第 (六) 项`),
 * and the item number in it when that survived.
 */
export const FUZZY_CAPTION_RE = /(?:第.{0,3}|^.{0,2}二十)条第\s*[〈（(<]?\s*([一五六八九])?/;

/**
 * A caption row OCR garbled past the pattern (洪泽区 2024 standard: `第 |条省0)需`, `弟十灰汕入)避`),
 * known by its place: one cell across the whole table, holding writing, over a 信息内容 header row,
 * on a scan over any row of several cells (淮安市 standard: caption and header both unreadable,
 * `必 |和有` over `人，， | 让 | 4.14 | …`), or last in its table (the header on the next page).
 */
function captionByShape(cells: readonly Cell[], table: Table, next: readonly Cell[] | undefined): boolean {
  const [only] = cells;
  return (
    cells.length === 1 &&
    only!.colSpan === table.cols &&
    table.cols > 1 &&
    only!.text.trim() !== '' &&
    !isValueText(only!.text) &&
    (next === undefined || captionCells(next) > 0 || (table.detection === 'raster' && next.length > 1))
  );
}

/**
 * The row under a caption is its mini-table's header (信息内容 and the column words) however it read,
 * unless its label names an item. Its cells after the first name the columns, words unread.
 */
function headerByPlace(cells: readonly Cell[]): HeaderColumn[] {
  return cells
    .slice(1)
    .filter((cell) => cell.text.trim() !== '')
    .map((cell) => ({ key: columnKey(cell.text), cell }));
}

/**
 * A row whose label did not read at all, or whose cells are all blank, keeps its item's slot only when the
 * row under it is pinned: its label names the item after it in the mini-table (Noto Serif fine: 规章 lost
 * under the header, 行政规范性文件 read below it). By order alone it could be any row; placed so, it is
 * flagged like every row placed by shape.
 */
function pinnedByNext(
  lost: string | undefined,
  group: readonly string[] | undefined,
  next: readonly Cell[] | undefined,
  items: readonly T2ItemSpec[],
  version: TemplateVersion,
): boolean {
  const after = lost && group ? group[group.indexOf(lost) + 1] : undefined;
  const label = next?.[0] ? normalizeLabel(next[0].text) : '';
  return after !== undefined && label !== '' && matchItem(label, items, version)?.key === after;
}

function overlaps(a: Cell, b: Cell): boolean {
  return a.col < b.col + b.colSpan && b.col < a.col + a.colSpan;
}

/**
 * Maps table 二 — one ruled table holding every mini-table or one table per mini-table — onto
 * `active_disclosure.<item>.<column>`: captions (第二十条第（N）项) start a mini-table, a
 * 信息内容 row names its columns, item rows are matched by label and their values by the
 * header column they sit under (by order when the header is lost).
 */
export function mapTableTwo(tables: readonly Table[], version: TemplateVersion): MappedPart {
  const items = T2_ITEMS[version];
  const values: MappedValue[] = [];
  const notes: string[] = [];
  const done = new Set<string>();
  let header: HeaderColumn[] | null = null;
  const groups = t2Groups(version);
  /** The mini-table of the last caption read (by its item number, else the next in print order). */
  let group = -1;
  /** A caption was the last row: the next row is its header (on the next page when the table breaks). */
  let afterCaption = false;
  /** The table the header was read in: its grid columns say nothing of another table's. */
  let headerTable = '';
  /** The row the header was read in (in headerTable). */
  let headerRow = -1;
  for (const table of tables) {
    const rows = readRows(table);
    for (const [r, row] of rows.entries()) {
      const first = row.cells[0];
      if (!first) continue;
      const firstLabel = normalizeLabel(first.text);
      const rowText = normalizeLabel(row.cells.map((c) => c.text).join(''));
      const captionRead =
        FUZZY_CAPTION_RE.exec(rowText) ?? (captionByShape(row.cells, table, rows[r + 1]?.cells) ? [] : null);
      const underCaption = afterCaption;
      afterCaption = captionRead !== null || rowText.includes('第二十条');
      if (captionRead) {
        // Captions come in print order: an item number read as one already passed (九 read 八) is misread.
        const numbered = groups.findIndex((g) => g.item === captionRead[1]);
        group = numbered > group ? numbered : group + 1;
        header = null;
      }
      if (rowText.includes('第二十条')) {
        header = null;
        continue;
      }
      const caption = captionCells(row.cells);
      if (
        caption === 0 &&
        underCaption &&
        !captionRead &&
        row.cells.length > 1 &&
        !matchItem(firstLabel, items, version)
      ) {
        header = headerByPlace(row.cells);
        headerTable = table.id;
        headerRow = r;
        continue;
      }
      if (caption > 0) {
        header = row.cells
          .slice(caption)
          .filter((cell) => cell.text.trim() !== '')
          .map((cell) => {
            const unit = unitFromHeader(cell.text);
            return { key: columnKey(cell.text), cell, ...(unit ? { unit } : {}) };
          });
        headerTable = table.id;
        headerRow = r;
        continue;
      }
      const matched = matchItem(firstLabel, items, version);
      const byShape =
        matched || captionRead
          ? undefined
          : itemByShape(row.cells, groups[group]?.keys, items, done, header?.[0]?.cell.col);
      // An item row under a header that nothing places (a value misread as words, or two rows in one
      // band) still takes its item's place: with a label and a number in it, its values go there
      // (flagged, the words caught as unparsable); else the item stays missing. The next row never
      // takes them.
      const keys = groups[group]?.keys;
      const isCaption = (i: number): boolean => {
        const cells = rows[headerRow + 1 + i]?.cells ?? [];
        const text = normalizeLabel(cells.map((c) => c.text).join(''));
        return (
          FUZZY_CAPTION_RE.test(text) ||
          text.includes('第二十条') ||
          captionByShape(cells, table, rows[headerRow + 2 + i]?.cells)
        );
      };
      // By order: the header in this table, the item rows under it as many as the mini-table's items.
      const slotPinned = (slot: string | undefined): boolean =>
        pinnedByNext(slot, keys, rows[r + 1]?.cells, items, version) ||
        (slot !== undefined &&
          headerTable === table.id &&
          keys?.indexOf(slot) === r - headerRow - 1 &&
          fillsGroupByOrder(
            rows.slice(headerRow + 1).map((x) => x.cells),
            keys.length,
            isCaption,
            table === tables[tables.length - 1],
          ));
      const lost =
        matched || byShape || captionRead || header === null
          ? undefined
          : lostItem(row.cells, header, keys, done, slotPinned);
      const valued = row.cells.slice(1).some((c) => c.text.trim() !== '' && isValueText(c.text));
      const pinned = slotPinned(lost);
      const numbered = (valued && firstLabel !== '') || pinned;
      const lostItemSpec = lost && numbered ? items.find((i) => i.key === lost) : undefined;
      const shaped = byShape ?? (lostItemSpec ? { item: lostItemSpec, values: row.cells.slice(1) } : undefined);
      const item = matched ?? shaped?.item;
      if (shaped)
        notes.push(`table 二: row "${firstLabel}" placed as ${shaped.item.key} by its mini-table's shape; flagged`);
      if (lost && !shaped) {
        done.add(lost);
        notes.push(`table 二: row "${firstLabel}" under ${lost}'s header unread; ${lost} left missing`);
      }
      if (!item) continue;
      if (done.has(item.key)) {
        notes.push(`table 二: item ${item.key} repeated; the first row is kept`);
        continue;
      }
      done.add(item.key);
      const placed = placeItem(item, shaped?.values ?? row.cells.slice(1), header, table.id, notes, headerTable);
      values.push(...(shaped ? placed.map((v) => ({ ...v, ambiguous: true })) : placed));
    }
  }
  return { values, notes };
}

function placeItem(
  item: T2ItemSpec,
  cells: readonly Cell[],
  header: readonly HeaderColumn[] | null,
  tableId: string,
  notes: string[],
  headerTable = tableId,
): MappedValue[] {
  const out: MappedValue[] = [];
  const headerKeys = header?.map((h) => h.key) ?? [];
  const exact = headerKeys.every((k) => k !== null && item.columns.includes(k));
  // A misread header word (OCR) is tolerated when the words that were read sit in the item's own order.
  const inOrder = headerKeys.some((k) => k !== null) && headerKeys.every((k, i) => k === null || k === item.columns[i]);
  const headerFits = header !== null && headerKeys.length === item.columns.length && (exact || inOrder);
  // A one-column item under a one-column header whose words were not read (行政许可 under a garbled
  // 本年处理决定数量): the value has one place to go, so there is no column to doubt.
  const filled = cells.filter((c) => c.text.trim() !== '');
  if (
    !headerFits &&
    item.columns.length === 1 &&
    headerKeys.length === 1 &&
    headerKeys[0] === null &&
    filled.length <= 1
  ) {
    const cell = filled[0] ?? cells[0];
    const unit = header?.[0]?.unit;
    return cell
      ? [
          {
            key: `active_disclosure.${item.key}.${item.columns[0]}`,
            cell,
            tableId,
            ...(unit ? { headerUnit: unit } : {}),
          },
        ]
      : [];
  }
  if (!headerFits) {
    // Header lost or from the other template: take the item's own columns by order.
    if (header) notes.push(`table 二: header of ${item.key} does not match its columns; values placed by order`);
    // More cells than columns (a rule the scan added, a label split in two): which ones hold the
    // values the order cannot say, and a blank taken for a value would be trusted.
    const extra = cells.length > item.columns.length;
    if (extra)
      notes.push(`table 二: ${item.key} has ${cells.length} cells for ${item.columns.length} columns; flagged`);
    cells.slice(0, item.columns.length).forEach((cell, i) => {
      const key = item.columns[i];
      if (key)
        out.push({
          key: `active_disclosure.${item.key}.${key}`,
          cell,
          tableId,
          byOrder: true,
          ...(header === null && !extra ? {} : { ambiguous: true }),
        });
    });
    return out;
  }
  if (headerTable !== tableId && cells.length !== header.length) {
    // The header on the page before (Micro Hei fine, v2019: 行政处罚 | 248 | | -2 | 123 on a grid cut by
    // 表三's rules, under 表二's three columns): its written cells in order when as many as the columns,
    // flagged; else the item stays missing rather than a cell taking another column's place.
    const filled = cells.filter((c) => c.text.trim() !== '');
    notes.push(
      `table 二: ${item.key}'s header is in another table; ${filled.length} written cells for ${header.length} columns; flagged`,
    );
    if (filled.length !== header.length) return [];
    return header.flatMap((column, i) => {
      const key = column.key ?? item.columns[i];
      return key
        ? [
            {
              key: `active_disclosure.${item.key}.${key}`,
              cell: filled[i]!,
              tableId,
              ambiguous: true,
              ...(column.unit ? { headerUnit: column.unit } : {}),
            },
          ]
        : [];
    });
  }
  const used = new Set<Cell>();
  header.forEach((column, i) => {
    // Same number of cells as header columns: by order; otherwise by the column the cell sits under.
    // A header word spanning two grid columns (a rule the scan added) sits over a blank and the
    // value: the cell with text is the value, else the first (a printed blank).
    const under = cells.filter((c) => !used.has(c) && overlaps(c, column.cell));
    const cell = cells.length === header.length ? cells[i] : (under.find((c) => c.text.trim() !== '') ?? under[0]);
    const key = column.key ?? item.columns[i];
    if (!cell || !key) return;
    used.add(cell);
    out.push({
      key: `active_disclosure.${item.key}.${key}`,
      cell,
      tableId,
      ...(column.unit ? { headerUnit: column.unit } : {}),
    });
  });
  return out;
}
