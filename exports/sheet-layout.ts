import type { TemplateVersion } from '../core/model/index.js';
import { reportLayout, TABLE_TITLES, type TableLayout } from '../core/report/labels.js';

/** One value column of a table sheet: the schema key under its two printed labels. */
export interface SheetColumn {
  readonly key: string;
  /** The printed row (表二 item, 表三 row) or column group (表四) the value sits in. */
  readonly group: string;
  /** The printed column label. */
  readonly label: string;
}

export interface TableSheet {
  /** Sheet name: 表二, 表三, 表四. */
  readonly name: string;
  readonly title: string;
  readonly columns: readonly SheetColumn[];
}

function columnsOf(table: TableLayout): SheetColumn[] {
  // 表四 prints one row under three column groups; the others one row per item.
  const groupOfColumn: string[] = [];
  for (const g of table.columnGroups ?? []) for (let i = 0; i < g.span; i++) groupOfColumn.push(g.label);
  const out: SheetColumn[] = [];
  for (const row of table.rows)
    row.cells.forEach((key, c) => {
      if (key === null) return;
      const group = table.id === 'review_litigation' ? (groupOfColumn[c] ?? '') : row.label;
      out.push({ key, group, label: table.columns[c]?.label ?? key });
    });
  return out;
}

/** Adds the keys of `more` missing from `into`, each right after its predecessor in `more` (printed order kept). */
function mergeInOrder(into: SheetColumn[], more: readonly SheetColumn[], append: boolean): void {
  more.forEach((column, i) => {
    if (into.some((c) => c.key === column.key)) return;
    const before = i > 0 && !append ? into.findIndex((c) => c.key === more[i - 1]?.key) : -1;
    into.splice(before >= 0 ? before + 1 : into.length, 0, column);
  });
}

const SHEET_NAMES = { active_disclosure: '表二', applications: '表三', review_litigation: '表四' } as const;

let cached: readonly TableSheet[] | undefined;

/**
 * The three table sheets: every key of both template versions in printed order: v2021 first, the
 * single （六）其他处理 row of 表三 slotted in where it is printed, 表二's v2019 items (other columns
 * under the same captions) after the v2021 ones.
 */
export function tableSheets(): readonly TableSheet[] {
  if (cached) return cached;
  const layouts: [TemplateVersion, boolean][] = [
    ['v2021', false],
    ['v2021', true],
    ['v2019', false],
  ];
  const sections = Object.keys(SHEET_NAMES) as (keyof typeof SHEET_NAMES)[];
  cached = sections.map((section) => {
    const columns: SheetColumn[] = [];
    for (const [version, single] of layouts) {
      const table = reportLayout(version, single).find((t) => t.id === section);
      if (table) mergeInOrder(columns, columnsOf(table), section === 'active_disclosure');
    }
    return { name: SHEET_NAMES[section], title: TABLE_TITLES[section], columns };
  });
  return cached;
}

/** The table sheet a key belongs to (表二 for active_disclosure.*, …). */
export function sheetOfKey(key: string): string {
  const dot = key.indexOf('.');
  const section = (dot < 0 ? key : key.slice(0, dot)) as keyof typeof SHEET_NAMES;
  return SHEET_NAMES[section] ?? '';
}
