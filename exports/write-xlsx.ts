import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Check, TemplateVersion } from '../core/model/index.js';
import { keyLabel } from '../core/report/labels.js';
import { decidedMetadata, describeCheck, type CellState, type ExportItem } from '../models/index.js';
import { exportCells, sourceOf } from './export-cells.js';
import { tableSheets, type TableSheet } from './sheet-layout.js';
import type { ExportCounts } from './write-stream.js';

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

function reportRow(item: ExportItem): unknown[] {
  const meta = decidedMetadata(item);
  const cells = exportCells(item);
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

/** A table sheet: two header rows of printed labels (row or group / column) and a row of keys, then one row per report. */
async function writeTableSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  layout: TableSheet,
  items: AsyncIterable<ExportItem>,
): Promise<void> {
  const sheet = workbook.addWorksheet(layout.name, {
    views: [{ state: 'frozen', xSplit: ID_COLUMNS.length, ySplit: 3 }],
  });
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
  const index = new Map(layout.columns.map((c, i) => [c.key, i]));
  for await (const item of items) {
    if (!item.report) continue;
    const meta = decidedMetadata(item);
    const values: unknown[] = [item.document.sha256, meta.issuer, meta.year, meta.template, item.document.status];
    const fills: (string | undefined)[] = [];
    for (const cell of exportCells(item)) {
      const at = index.get(cell.key);
      if (at === undefined) continue;
      values[first - 1 + at] = cell.value;
      if (cell.state !== 'trusted') fills[first - 1 + at] = STATE_FILLS[cell.state];
    }
    const row = sheet.addRow(values);
    fills.forEach((argb, i) => {
      if (argb !== undefined) row.getCell(i + 1).fill = fill(argb);
    });
    row.commit();
  }
  sheet.commit();
}

function flagRows(item: ExportItem): unknown[][] {
  const snapshot = item.report;
  if (!snapshot) return [];
  const meta = decidedMetadata(item);
  const head = [item.document.sha256, meta.issuer, meta.year];
  const rows = exportCells(item)
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
  const failed = snapshot.checks.filter((c: Check) => c.status === 'fail');
  for (const check of failed)
    rows.push([
      ...head,
      check.keys[0] ? (tableSheets().find((t) => t.columns.some((c) => c.key === check.keys[0]))?.name ?? '') : '',
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

async function writeRowsSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly (readonly [string, string])[],
  items: AsyncIterable<ExportItem>,
  rowsOf: (item: ExportItem) => unknown[][],
  counts?: ExportCounts,
): Promise<void> {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  addHeader(
    sheet,
    columns.map(([label]) => label),
  );
  addHeader(
    sheet,
    columns.map(([, key]) => key),
  );
  for await (const item of items) {
    for (const values of rowsOf(item)) sheet.addRow(values).commit();
    if (counts) {
      counts.documents++;
      counts.cells += item.report ? exportCells(item).length : 0;
    }
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

/**
 * The XLSX export with exceljs's streaming writer: sheets 报告, 表二, 表三, 表四, 标记与未通过核对, 说明.
 * A zip archive takes its entries one after another, so a sheet can only be written once the one
 * before is finished: `open` is called once per sheet for a fresh cursor over the same documents,
 * and memory stays bounded (rows are committed as they are written) whatever the archive's size.
 */
export async function writeXlsx(open: () => AsyncIterable<ExportItem>, out: Writable): Promise<ExportCounts> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'docq';
  const counts: ExportCounts = { documents: 0, cells: 0 };
  await writeRowsSheet(workbook, SHEET_NAMES.reports, REPORT_COLUMNS, open(), (item) => [reportRow(item)], counts);
  for (const layout of tableSheets()) await writeTableSheet(workbook, layout, open());
  await writeRowsSheet(workbook, SHEET_NAMES.flags, FLAG_COLUMNS, open(), flagRows);
  writeLegend(workbook);
  await workbook.commit();
  return counts;
}
