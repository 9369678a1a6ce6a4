import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../core/index.js';
import { keyLabel } from '../../core/report/labels.js';
import { STATE_FILLS } from '../../exports/write-xlsx.js';
import {
  cellsWithProvenance,
  recordDecision,
  saveExtraction,
  type EffectiveCell,
  type ReportRecord,
} from '../../models/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { runDocq } from '../helpers/run-docq.js';
import { makeDocument } from '../models/make-document.js';

const DEV = new URL('../../../shared/corpus/dev/', import.meta.url).pathname;
const URL_2019 = 'https://www.example.gov.cn/xxgk/ndbg/2019.pdf';

interface Expected {
  readonly sha256: string;
  readonly source: string;
  readonly template: string | null;
  /** Every exported cell (missing keys left out) with its value and provenance as the database has them. */
  readonly cells: ReadonlyMap<string, EffectiveCell>;
}

/**
 * Every export format written by the real CLI from real extractions (three dev reports, two with
 * injected errors, one "crawled"), with decisions of each kind recorded, parsed back and compared
 * cell by cell, provenance included, with what the database holds.
 */
describe('docq export: XLSX, CSV and JSONL round trips', () => {
  let mongo: TestMongo;
  let dir: string;
  const expected = new Map<string, Expected>();

  const docq = (...args: string[]) => runDocq(args, { env: { ...process.env, MONGODB_URI: mongo.uri } });

  beforeAll(async () => {
    mongo = await startTestMongo();
    dir = await mkdtemp(join(tmpdir(), 'docq-export-'));
    const models = mongo.db.models;
    const inputs: [string, { path?: string; url?: string; crawlId?: string }][] = [
      ['synth-1-0', { path: '/archive/2021/a.pdf' }],
      ['synth-1-2', { path: '/archive/2021/b,with comma.pdf' }],
      ['synth-2019-2', { path: '/var/docq/blobs/ab/cd', url: URL_2019, crawlId: 'gov' }],
    ];
    for (const [name, source] of inputs) {
      const bytes = new Uint8Array(readFileSync(join(DEV, name, 'digital.pdf')));
      await saveExtraction(models, await extractDocument({ bytes, name }), { source });
    }
    await saveExtraction(models, makeDocument({ sha256: 'f'.repeat(64), status: 'failed' }), {
      source: { path: '/archive/broken.pdf' },
    });
    // One decision of each kind on flagged cells: corrected to the suggestion, confirmed, printed so.
    const reports = await models.Report.find({}).lean<ReportRecord[]>();
    const flagged = reports.flatMap((r) => r.cells.filter((c) => c.flags.length > 0).map((c) => ({ r, c })));
    expect(flagged.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = flagged;
    await recordDecision(models, {
      sha256: first!.r.sha256,
      key: first!.c.key,
      action: 'correct',
      value: first!.c.suggestion ?? (first!.c.value ?? 0) + 1,
      old: first!.c.value,
      by: 'ann',
      note: 'page shows it',
    });
    await recordDecision(models, {
      sha256: second!.r.sha256,
      key: second!.c.key,
      action: 'confirm',
      value: second!.c.value,
      old: second!.c.value,
      by: 'bob',
    });
    await recordDecision(models, {
      sha256: third!.r.sha256,
      key: third!.c.key,
      action: 'printed-so',
      value: third!.c.value,
      old: third!.c.value,
      by: 'bob',
    });
    for (const r of await models.Report.find({}).lean<ReportRecord[]>()) {
      const doc = await models.Document.findOne({ sha256: r.sha256 }).lean();
      const cells = cellsWithProvenance(r).filter(
        (c, i) => r.cells[i]?.reason !== 'missing' || c.provenance.kind !== 'extracted',
      );
      expected.set(r.sha256, {
        sha256: r.sha256,
        source: doc?.source.url ?? doc?.source.path ?? '',
        template: r.templateVersion,
        cells: new Map(cells.map((c) => [c.key, c])),
      });
    }
    const kinds = [...expected.values()].flatMap((e) => [...e.cells.values()].map((c) => c.provenance.kind));
    expect(new Set(kinds)).toEqual(new Set(['extracted', 'corrected', 'confirmed', 'printed-inconsistent']));
  }, 180_000);
  afterAll(async () => {
    await mongo?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('XLSX: table sheets with two-level headers, every value and its shading as stored; reports and flags sheets', async () => {
    const out = join(dir, 'reports.xlsx');
    const run = await docq('export', '--format', 'xlsx', '--out', out);
    expect(run.stderr).toContain(`exported 3 documents`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    expect(book.worksheets.map((s) => s.name)).toEqual(['报告', '表二', '表三', '表四', '标记与未通过核对', '说明']);

    const seen = new Map<string, number>();
    for (const name of ['表二', '表三', '表四']) {
      const sheet = book.getWorksheet(name)!;
      const keys = (sheet.getRow(3).values as unknown[]).slice(1) as string[];
      expect(keys.slice(0, 5)).toEqual(['sha256', 'issuer', 'report_year', 'template_version', 'status']);
      // Two-level Chinese headers: the printed row (or group) above the printed column.
      for (let col = 6; col <= keys.length; col++) {
        const key = keys[col - 1]!;
        const [group, label] = [sheet.getRow(1).getCell(col).text, sheet.getRow(2).getCell(col).text];
        expect(`${group} ${label}`).toMatch(/[\u4e00-\u9fff]/);
        if (key.startsWith('applications.')) expect(keyLabel(key)).toBe(`${group} · ${label}`);
      }
      expect(sheet.getRow(1).getCell(6).isMerged).toBe(true);
      for (let r = 4; r <= sheet.rowCount; r++) {
        const row = sheet.getRow(r);
        const exp = expected.get(row.getCell(1).text);
        expect(exp, `row ${r} of ${name}`).toBeDefined();
        for (let col = 6; col <= keys.length; col++) {
          const key = keys[col - 1]!;
          const cell = row.getCell(col);
          const want = exp!.cells.get(key);
          const fill = (cell.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
          if (!want) {
            expect(cell.value ?? null, `${key} absent`).toBeNull();
            continue;
          }
          seen.set(exp!.sha256, (seen.get(exp!.sha256) ?? 0) + 1);
          expect(cell.value ?? null, key).toEqual(want.value);
          expect(fill, `${key} shading`).toBe(want.state === 'trusted' ? undefined : STATE_FILLS[want.state]);
        }
      }
    }
    for (const exp of expected.values()) expect(seen.get(exp.sha256)).toBe(exp.cells.size);

    const reports = book.getWorksheet('报告')!;
    const header = (reports.getRow(2).values as unknown[]).slice(1) as string[];
    const rows = Array.from({ length: reports.rowCount - 2 }, (_, i) =>
      Object.fromEntries(header.map((k, c) => [k, reports.getRow(i + 3).getCell(c + 1).value])),
    );
    expect(rows.map((r) => r['source']).sort()).toEqual([...expected.values()].map((e) => e.source).sort());
    expect(rows.every((r) => r['pipeline_version'] && r['template_version'] && r['status'])).toBe(true);

    const flags = book.getWorksheet('标记与未通过核对')!;
    const flagRows = Array.from({ length: flags.rowCount - 2 }, (_, i) => flags.getRow(i + 3));
    const flaggedCells = [...expected.values()].flatMap((e) =>
      [...e.cells.values()].filter((c) => c.flags.length > 0 || c.provenance.kind !== 'extracted'),
    );
    expect(flagRows.filter((r) => r.getCell(5).text === '单元格')).toHaveLength(flaggedCells.length);
    // Every reason in words, in Chinese; failed checks listed with their rule.
    for (const r of flagRows) expect(r.getCell(11).text).toMatch(/[\u4e00-\u9fff]/);
    expect(flagRows.some((r) => /^未通过核对 H\d/.test(r.getCell(5).text))).toBe(true);
  }, 180_000);

  it('CSV: UTF-8 BOM, Chinese labels, source URL, suggestion and provenance of every cell', async () => {
    const out = join(dir, 'reports.csv');
    await docq('export', '--format', 'csv', '--out', out);
    const text = await readFile(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = await new Promise<Record<string, string>[]>((resolve, reject) => {
      const all: Record<string, string>[] = [];
      parseString(text.slice(1), { headers: true })
        .on('data', (row: Record<string, string>) => all.push(row))
        .on('end', () => resolve(all))
        .on('error', reject);
    });
    const total = [...expected.values()].reduce((n, e) => n + e.cells.size, 0);
    expect(rows).toHaveLength(total);
    for (const row of rows) {
      const exp = expected.get(row['sha256']!)!;
      const want = exp.cells.get(row['key']!)!;
      expect(row['source']).toBe(exp.source);
      expect(row['label']).toBe(keyLabel(row['key']!, exp.template as 'v2019' | 'v2021'));
      expect(row['value']).toBe(want.value === null ? '' : String(want.value));
      expect(row['provenance']).toBe(want.provenance.kind);
      expect(row['state']).toBe(want.state);
      expect(row['decided_by']).toBe(want.provenance.by ?? '');
      expect(row['flags']).toBe(want.flags.join(';'));
      if (want.flags.length > 0) expect(row['flag_reasons']).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(rows.some((r) => r['source'] === URL_2019)).toBe(true);
    expect(rows.some((r) => r['suggestion'] !== '')).toBe(true);
  }, 180_000);

  it('JSONL: report-json.md objects with decisions applied and marked, failed documents with their error', async () => {
    const run = await docq('export', '--format', 'jsonl', '--status', 'done,needs_review,failed');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(lines).toHaveLength(4);
    const failed = lines.find((l) => l['status'] === 'failed')!;
    expect(failed['error']).toMatchObject({ code: expect.any(String), stage: expect.any(String) });
    expect(failed['report']).toBeNull();
    for (const line of lines.filter((l) => l['status'] === 'ok')) {
      const exp = expected.get(line['document'].sha256)!;
      expect(line['document'].source).toBe(exp.source);
      expect(line['report'].template_version).toBe(exp.template);
      let n = 0;
      for (const [key, want] of exp.cells) {
        const [section, ...path] = key.split('.');
        const cell = path.reduce((node, p) => node?.[p], line['report'][section!]);
        expect(cell, key).toBeDefined();
        expect(cell.value).toEqual(want.value);
        expect(cell.provenance.kind).toBe(want.provenance.kind);
        expect(cell.flags).toEqual(want.provenance.kind === 'extracted' ? want.flags : []);
        if (want.provenance.kind !== 'extracted') expect(cell.extracted).toEqual(want.extracted);
        n++;
      }
      expect(n).toBe(exp.cells.size);
      expect(Array.isArray(line['report'].checks)).toBe(true);
    }
  }, 180_000);

  it('filters by flagged, year and issuer; refuses bad arguments with exit 2', async () => {
    const flagged = await docq('export', '--format', 'jsonl', '--flagged');
    const shas = flagged.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { document: { sha256: string } }).document.sha256);
    const withFlags = [...expected.values()].filter((e) => [...e.cells.values()].some((c) => c.flags.length > 0));
    expect(shas.sort()).toEqual(withFlags.map((e) => e.sha256).sort());
    const y2023 = await docq('export', '--format', 'jsonl', '--year', '2023', '--issuer', '常乐镇');
    const picked = y2023.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { report: { report_year: number; issuer: string } }).report);
    expect(picked).toEqual([expect.objectContaining({ report_year: 2023, issuer: '海原县常乐镇' })]);

    for (const [args, message] of [
      [['--status', 'bogus'], /--status: unknown status bogus/],
      [['--format', 'pdf'], /--format is one of csv, jsonl, xlsx/],
      [['--year', 'last'], /--year takes a year/],
      [['--flagged', '--not-flagged'], /not both/],
    ] as const) {
      const bad = await docq('export', ...args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  }, 180_000);
});
