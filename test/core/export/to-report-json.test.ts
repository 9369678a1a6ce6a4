import { describe, expect, it } from 'vitest';
import { collectFlags, summarize } from '../../../core/flags/collect-flags.js';
import { toReportJson } from '../../../core/export/to-report-json.js';
import { mapReport } from '../../../core/report/map-report.js';
import type { Document, Page, Problem, Table } from '../../../core/model/index.js';
import { buildPage, buildTable } from '../../helpers/table-builder.js';
import {
  BUDGET_TABLE,
  REPORT_TEXT_V2021,
  T3_SAMPLE,
  t2V2021,
  t3BodyV2021,
  t3Header,
  t4Table,
} from '../report/fixtures.js';

function documentOf(pages: readonly Page[], tables: readonly Table[], problems: readonly Problem[] = []): Document {
  const report = mapReport(pages, tables);
  const flags = collectFlags(pages, tables, report, problems);
  const summary = summarize(pages, tables, report, flags);
  const fatal = problems.find((p) => p.code === 'ENCRYPTED') ?? null;
  return {
    sha256: 'x'.repeat(64),
    size: 1000,
    kind: 'pdf',
    mime: 'application/pdf',
    status: fatal ? 'failed' : summary.flagged > 0 ? 'needs_review' : 'ok',
    error: fatal,
    problems,
    pages,
    tables,
    report,
    flags,
    summary,
    timings: {},
    pipelineVersion: 'test',
  };
}

const ZERO_T4 = Array.from({ length: 15 }, () => '0');

describe('toReportJson', () => {
  it('exports the shape the scorer reads, with CELLs and checks', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const k = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('1.属于国家秘密')));
    rows[k] = [...(rows[k] ?? []).slice(0, 2), '7', ...(rows[k] ?? []).slice(3)];
    const tables = [
      buildTable(t2V2021(), { id: 't2' }),
      buildTable(rows, { id: 't3' }),
      buildTable(t4Table(ZERO_T4), { id: 't4' }),
      buildTable(BUDGET_TABLE, { id: 'budget' }),
    ];
    const json = toReportJson(documentOf([buildPage(REPORT_TEXT_V2021)], tables));
    expect(json.status).toBe('ok');
    expect(json.review_status).toBe('needs_review');
    expect(json).not.toHaveProperty('error');
    const report = json.report as Record<string, unknown> & {
      applications: Record<string, Record<string, unknown>>;
      checks: { rule: string; passed: boolean | null; culprit?: string }[];
    };
    expect(report).toMatchObject({ template_version: 'v2021', report_year: 2023, issuer: '海原县常乐镇' });
    expect(report.active_disclosure).toMatchObject({
      admin_fees: { fee_amount_wan: { value: 16.25, unit: '万元', flags: [] } },
    });
    expect(report.applications.granted?.total).toMatchObject({
      value: 440,
      flags: [],
      confidence: 1,
      raw: '440',
      source: { table: 't3' },
    });
    expect(report.applications.denied_state_secret?.natural_person).toMatchObject({
      value: 7,
      flags: ['check-failed:H3', 'check-failed:H4', 'check-failed:H9', 'likely-culprit'],
      suggestion: 5,
    });
    const h3 = report.checks.find((c) => c.rule === 'H3' && c.passed === false);
    expect(h3).toMatchObject({ culprit: 'applications.denied_state_secret.natural_person' });
    expect(report.checks.every((c) => c.passed === true || c.passed === false || c.passed === null)).toBe(true);
    expect(report.unmapped_table_ids).toEqual(['budget']);
    expect(json.document).toMatchObject({ summary: { cells: 200, flagged: 1, checksFailed: 3 } });
    // The culprit explains all three failures; its row and column neighbours pass their other rule.
    expect(report.applications.denied_state_secret?.total).toMatchObject({ flags: [] });
    expect(json.flags.map((f) => f.kind)).toEqual(
      expect.arrayContaining(['likely-culprit', 'check-failed', 'weak-evidence', 'unmapped-table']),
    );
    expect(json.flags.find((f) => f.kind === 'weak-evidence')).toMatchObject({
      severity: 'info',
      at: { tableId: 't4' },
    });
  });

  it('leaves keys the document lacks out of the tables and lists them as missing', () => {
    const tables = [buildTable([...t3Header(), ...t3BodyV2021(T3_SAMPLE).slice(0, 5)], { id: 't3' })];
    const json = toReportJson(documentOf([buildPage(REPORT_TEXT_V2021)], tables));
    const report = json.report as {
      applications: Record<string, unknown>;
      review_litigation: Record<string, unknown>;
      missing: string[];
    };
    expect(report.applications).toHaveProperty('granted');
    expect(report.applications).not.toHaveProperty('carried_forward');
    expect(report.review_litigation).toEqual({});
    expect(report.missing).toContain('review_litigation.review_total');
    expect(json.flags.filter((f) => f.kind === 'missing-value').map((f) => f.at.key)).toEqual([
      'active_disclosure',
      'applications',
      'review_litigation',
    ]);
  });

  it('exports a failed document with its error code and no report', () => {
    const problem: Problem = { code: 'ENCRYPTED', message: 'password required', stage: 'open' };
    const json = toReportJson(documentOf([], [], [problem]));
    expect(json).toMatchObject({
      status: 'failed',
      error: { code: 'ENCRYPTED', message: 'password required' },
      report: null,
    });
    expect(json.flags[0]).toMatchObject({ kind: 'page-failed', severity: 'error' });
  });

  it('keeps a non-report document as generic tables with report null', () => {
    const json = toReportJson(documentOf([buildPage('会议纪要')], [buildTable(BUDGET_TABLE, { id: 'b' })]));
    expect(json.report).toBeNull();
    expect(json.status).toBe('ok');
    expect(json.document).toMatchObject({ tables: [{ id: 'b', rows: 4, cols: 4 }] });
  });
});
