import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Check, TemplateVersion } from '../core/model/index.js';
import { keyLabel } from '../core/report/labels.js';
import { decidedMetadata, describeCheck, type CellState, type ExportItem } from '../models/index.js';
import { exportCells, sourceOf, type ExportCellView } from './export-cells.js';
import { sheetOfKey, tableSheets, type TableSheet } from './sheet-layout.js';
import { write, type ExportCounts } from './write-stream.js';

/** Cell shading by provenance; a trusted extracted value stays white. */
export const STATE_FILLS: Readonly<Record<Exclude<CellState, 'trusted'>, string>> = {
  flagged: 'FFF8CBAD',
  corrected: 'FF9BC2E6',
  confirmed: 'FFC6E0B4',
  'printed-inconsistent': 'FFFFE699',
};

const STATE_WORDS: Readonly<Record<CellState, string>> = {
  trusted: '提取值，未标记：可信',
  flagged: '已标记，待人工核对',
  corrected: '人工更正',
  confirmed: '人工确认提取值',
  'printed-inconsistent': '人工确认：原报告印刷数字本身不一致',
};

/** Columns before the values on each table sheet: [header, key]. */
export const ID_COLUMNS: readonly (readonly [string, string])[] = [
  ['文档 sha256', 'sha256'],
  ['发布机关', 'issuer'],
  ['年度', 'report_year'],
  ['模板', 'template_version'],
  ['状态', 'status'],
];

export const REPORT_COLUMNS: readonly (readonly [string, string])[] = [
  ...ID_COLUMNS.slice(0, 2),
  ['地区', 'region'],
  ...ID_COLUMNS.slice(2),
  ['来源（路径或网址）', 'source'],
  ['流水线版本', 'pipeline_version'],
  ['待核对格数', 'open'],
  ['人工决定格数', 'decided'],
  ['错误代码', 'error_code'],
  ['错误信息', 'error_message'],
];

export const FLAG_COLUMNS: readonly (readonly [string, string])[] = [
  ['文档 sha256', 'sha256'],
  ['发布机关', 'issuer'],
  ['年度', 'report_year'],
  ['表', 'table'],
  ['类型', 'kind'],
  ['键', 'key'],
  ['项目', 'label'],
  ['数值', 'value'],
  ['建议值', 'suggestion'],
  ['处理情况', 'state'],
  ['原因', 'reasons'],
];

export const SHEET_NAMES = { reports: '报告', flags: '标记与未通过核对', legend: '说明' } as const;

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

const BOLD: Partial<ExcelJS.Font> = { bold: true };

function addHeader(sheet: ExcelJS.Worksheet, values: readonly unknown[]): void {
  const row = sheet.addRow([...values]);
  row.font = BOLD;
  row.commit();
}

function reportRow(item: ExportItem, cells: readonly ExportCellView[]): unknown[] {
  const meta = decidedMetadata(item);
  const d = item.document;
  const byKey: Record<string, unknown> = {
    sha256: d.sha256,
    issuer: meta.issuer,
    region: meta.region,
    report_year: meta.year,
    template_version: meta.template,
    status: d.status,
    source: sourceOf(item),
    pipeline_version: d.pipelineVersion,
    open: cells.filter((c) => c.open).length,
    decided: cells.filter((c) => c.provenance.kind !== 'extracted').length,
    error_code: d.error?.code,
    error_message: d.error?.message,
  };
  return REPORT_COLUMNS.map(([, key]) => byKey[key] ?? null);
}

/** One spooled row: its values and, by column index, the fill of shaded cells. */
interface SpooledRow {
  readonly v: unknown[];
  readonly f?: Record<number, string>;
}

/** A table sheet's row for one report: the id columns, then each value under its key's column, shaded by provenance. */
function tableRow(item: ExportItem, cells: readonly ExportCellView[], layout: TableSheet): SpooledRow | null {
  const index = columnIndex(layout);
  const meta = decidedMetadata(item);
  const v: unknown[] = [item.document.sha256, meta.issuer, meta.year, meta.template, item.document.status];
  const f: Record<number, string> = {};
  let any = false;
  for (const cell of cells) {
    const at = index.get(cell.key);
    if (at === undefined) continue;
    any = true;
    v[ID_COLUMNS.length + at] = cell.value;
    if (cell.state !== 'trusted') f[ID_COLUMNS.length + at] = STATE_FILLS[cell.state];
  }
  return any ? { v, f } : null;
}

const INDEXES = new WeakMap<TableSheet, Map<string, number>>();

function columnIndex(layout: TableSheet): Map<string, number> {
  let index = INDEXES.get(layout);
  if (!index) INDEXES.set(layout, (index = new Map(layout.columns.map((c, i) => [c.key, i]))));
  return index;
}

/** Header of a table sheet: two rows of printed labels (row or group / column), merged across a group, and a row of keys. */
function tableHeader(sheet: ExcelJS.Worksheet, layout: TableSheet): void {
  const first = ID_COLUMNS.length + 1;
  const groups = layout.columns.map((c) => c.group);
  const top = sheet.addRow([...ID_COLUMNS.map(([label]) => label), ...groups]);
  top.font = BOLD;
  // Consecutive columns under one printed row (or group) share one merged label (before the row is committed).
  for (let start = 0; start < groups.length;) {
    let end = start;
    while (end + 1 < groups.length && groups[end + 1] === groups[start]) end++;
    if (end > start) sheet.mergeCells(1, first + start, 1, first + end);
    start = end + 1;
  }
  top.commit();
  addHeader(sheet, [...ID_COLUMNS.map(() => ''), ...layout.columns.map((c) => c.label)]);
  addHeader(sheet, [...ID_COLUMNS.map(([, key]) => key), ...layout.columns.map((c) => c.key)]);
}

function flagRows(item: ExportItem, cells: readonly ExportCellView[]): unknown[][] {
  const snapshot = item.report;
  if (!snapshot) return [];
  const meta = decidedMetadata(item);
  const head = [item.document.sha256, meta.issuer, meta.year];
  const rows = cells
    .filter((c) => c.flags.length > 0 || c.provenance.kind !== 'extracted')
    .map((c) => [
      ...head,
      c.table,
      '单元格',
      c.key,
      c.label,
      c.value,
      c.suggestion ?? null,
      STATE_WORDS[c.state],
      c.reasons.join('；'),
    ]);
  const version = meta.template as TemplateVersion | null;
  for (const check of snapshot.checks.filter((c: Check) => c.status === 'fail'))
    rows.push([
      ...head,
      check.keys[0] !== undefined ? sheetOfKey(check.keys[0]) : '',
      check.hard ? `未通过核对 ${check.rule}` : `提示 ${check.rule}`,
      check.scope,
      check.keys.map((k) => keyLabel(k, version)).join('，'),
      check.actual,
      check.expected,
      snapshot.unexplained.includes(check) ? '待人工核对' : '已由人工说明（原报告印刷如此）',
      describeCheck(check, version),
    ]);
  return rows;
}

/** Sheets after the first, spooled to a temp file each while the first is written: one line per row. */
class Spool {
  private readonly stream: WriteStream;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }
  async add(row: SpooledRow): Promise<void> {
    await write(this.stream, `${JSON.stringify(row)}\n`);
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
  async *rows(): AsyncGenerator<SpooledRow> {
    for await (const line of createInterface({ input: createReadStream(this.path), crlfDelay: Infinity }))
      if (line !== '') yield JSON.parse(line) as SpooledRow;
  }
}

async function replay(sheet: ExcelJS.Worksheet, spool: Spool): Promise<void> {
  for await (const { v, f } of spool.rows()) {
    const row = sheet.addRow(v);
    for (const [i, argb] of Object.entries(f ?? {})) row.getCell(Number(i) + 1).fill = fill(argb);
    row.commit();
  }
  sheet.commit();
}

function writeLegend(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const sheet = workbook.addWorksheet(SHEET_NAMES.legend);
  addHeader(sheet, ['底色', '含义']);
  for (const state of Object.keys(STATE_WORDS) as CellState[]) {
    const row = sheet.addRow(['', STATE_WORDS[state]]);
    if (state !== 'trusted') row.getCell(1).fill = fill(STATE_FILLS[state]);
    row.commit();
  }
  sheet.addRow([]).commit();
  sheet.addRow(['', '表二、表三、表四：每份报告一行；前两行为报告所印的行名与列名，第三行为数据键。']).commit();
  sheet.addRow(['', `“${SHEET_NAMES.flags}”列出每个被标记或经人工决定的单元格及未通过的核对，并写明原因。`]).commit();
  sheet.commit();
}

/** A sheet of plain rows under a header row of labels and one of keys. */
function rowsSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly (readonly [string, string])[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  addHeader(
    sheet,
    columns.map(([label]) => label),
  );
  addHeader(
    sheet,
    columns.map(([, key]) => key),
  );
  return sheet;
}

/**
 * The XLSX export with exceljs's streaming writer: sheets 报告, 表二, 表三, 表四, 标记与未通过核对, 说明.
 * A zip archive takes its entries one after another, so a sheet can only be written once the one
 * before is finished: one pass over the documents writes 报告 and spools the other sheets' rows to
 * temp files (a line per row), which are then replayed. The database is read once and memory stays
 * bounded (rows are committed as they are written) whatever the archive's size.
 */
export async function writeXlsx(items: AsyncIterable<ExportItem>, out: Writable): Promise<ExportCounts> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'docq';
  const counts: ExportCounts = { documents: 0, cells: 0 };
  const dir = await mkdtemp(join(tmpdir(), 'docq-xlsx-'));
  try {
    const layouts = tableSheets();
    const spools = layouts.map((l, i) => new Spool(join(dir, `${i}-${l.name}.jsonl`)));
    const flagSpool = new Spool(join(dir, 'flags.jsonl'));
    const reports = rowsSheet(workbook, SHEET_NAMES.reports, REPORT_COLUMNS);
    for await (const item of items) {
      const cells = exportCells(item);
      reports.addRow(reportRow(item, cells)).commit();
      counts.documents++;
      counts.cells += cells.length;
      if (!item.report) continue;
      for (const [i, layout] of layouts.entries()) {
        const row = tableRow(item, cells, layout);
        if (row) await spools[i]!.add(row);
      }
      for (const v of flagRows(item, cells)) await flagSpool.add({ v });
    }
    reports.commit();
    for (const [i, layout] of layouts.entries()) {
      await spools[i]!.close();
      const sheet = workbook.addWorksheet(layout.name, {
        views: [{ state: 'frozen', xSplit: ID_COLUMNS.length, ySplit: 3 }],
      });
      tableHeader(sheet, layout);
      await replay(sheet, spools[i]!);
    }
    await flagSpool.close();
    await replay(rowsSheet(workbook, SHEET_NAMES.flags, FLAG_COLUMNS), flagSpool);
    writeLegend(workbook);
    await workbook.commit();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return counts;
}
