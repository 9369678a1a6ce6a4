/**
 * 表三's header line is no value row whatever OCR makes of its two-row 总计 caption. On a 150-dpi scan
 * of 淮安市 2024 that caption read as `4`: the header line 自然人 / 法人或其他组织 then had a number, was
 * placed as 本年新收 by row order and the real 本年新收 row was dropped as a repeat. The grid of the
 * printed page (its ruling lines, its spans) is the one a scan of it gives; the misread is put in.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../../core/index.js';
import type { Document, Table } from '../../../core/model/index.js';
import { mapReport } from '../../../core/report/map-report.js';
import { readRows } from '../../../core/report/read-rows.js';

const SHARED = process.env.DOCQ_SHARED ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
const REPORT = join(SHARED, 'corpus/real/gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf');

const biggest = (tables: readonly Table[]): Table =>
  tables.reduce((a, b) => (a.rows * a.cols >= b.rows * b.cols ? a : b));

/** The table with the cell whose text is `from` (first found, top to bottom) reading `to`. */
function misread(table: Table, from: string, to: string): Table {
  const at = table.cells.findIndex((c) => c.text === from);
  expect(at).toBeGreaterThanOrEqual(0);
  return { ...table, cells: table.cells.map((c, i) => (i === at ? { ...c, text: to } : c)) };
}

describe.skipIf(!existsSync(REPORT))('a header line whose one number is a two-row caption', () => {
  let dir: string;
  let doc: Document;
  let t3: Table;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docq-band-'));
    execFileSync('pdfseparate', ['-f', '4', '-l', '4', REPORT, join(dir, 'p4.pdf')]);
    doc = await extractDocument({ bytes: new Uint8Array(readFileSync(join(dir, 'p4.pdf'))), name: 'p4.pdf' });
    t3 = biggest(doc.tables);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is no value row: the grid says so before any label is read', () => {
    const header = readRows(misread(t3, '总计', '4')).find((r) => r.cells.some((c) => c.text === '4' && c.rowSpan > 1));
    expect(header).toMatchObject({ header: true, values: [] });
    // The same caption read right, and the value rows, are no header band.
    expect(readRows(t3).filter((r) => r.header)).toEqual([]);
  });

  it('keeps the real 本年新收 row when the header line carries the misread digit', () => {
    // 自然人 misread too (电然人, as on the scan): no header marker left to recognise the line by. On this
    // grid (its last seven columns the value columns) map-table-three's first-row guard also holds the line
    // back; the grid's word is what holds when that guard cannot (a grid with a column more or less).
    const scanned = misread(misread(t3, '总计', '4'), '自然人', '电然人');
    const report = mapReport(
      doc.pages,
      doc.tables.map((t) => (t === t3 ? scanned : t)),
    );
    const cell = (key: string): number | null | undefined => report?.cells[`applications.${key}`]?.value;
    expect(cell('new_received.natural_person')).toBe(3001);
    expect(cell('new_received.total')).toBe(3119);
    expect(cell('carried_over.natural_person')).toBe(34);
  });

  it('is a value row when a row below holds numbers (a data cell two rows tall where a rule was lost)', () => {
    let t = misread(t3, '总计', '4');
    t = misread(t, '商业企业', '53');
    const row = readRows(t).find((r) => r.cells.some((c) => c.text === '4' && c.rowSpan > 1));
    expect(row?.header).toBe(false);
  });
});
