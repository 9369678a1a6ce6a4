import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../core/index.js';
import { toReportJson } from '../../../core/export/to-report-json.js';

/** Born-digital PDFs through the whole core (PDF reader, stitching, mapping, checks) to the export. */
const SHARED = join(import.meta.dirname, '../../../../shared/corpus');
const INJECTED = join(SHARED, 'dev/synth-2019-2/digital.pdf');
const REAL = join(SHARED, 'real/gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf');

type Cell = { value: number | null; flags: string[] };
type Json = {
  status: string;
  report: {
    template_version: string;
    report_year: number;
    issuer: string;
    missing: string[];
    applications: Record<string, Record<string, Cell>>;
    checks: { rule: string; passed: boolean | null; culprit?: string }[];
  };
};

async function exportOf(path: string): Promise<Json> {
  const doc = await extractDocument({ bytes: new Uint8Array(readFileSync(path)), name: path });
  return JSON.parse(JSON.stringify(toReportJson(doc))) as Json;
}

describe.skipIf(!existsSync(INJECTED) || !existsSync(REAL))('export of real PDFs', () => {
  it('catches the injected row-total error of synth-2019-2 and names the cell', async () => {
    const json = await exportOf(INJECTED);
    const gt = JSON.parse(readFileSync(join(SHARED, 'dev/synth-2019-2/gt.json'), 'utf8')) as {
      expected: { applications: Record<string, Record<string, number | null>> };
    };
    expect(json.report).toMatchObject({
      template_version: 'v2019',
      report_year: 2020,
      issuer: '红寺堡区常乐镇',
      missing: [],
    });
    for (const [row, cols] of Object.entries(gt.expected.applications)) {
      for (const [col, want] of Object.entries(cols))
        expect(`${row}.${col}=${json.report.applications[row]?.[col]?.value}`).toBe(`${row}.${col}=${want}`);
    }
    const failed = json.report.checks.filter((c) => c.passed === false);
    expect(failed.map((c) => c.rule)).toEqual(['H3', 'H4']);
    expect(failed.every((c) => c.culprit === 'applications.denied_internal_affairs.total')).toBe(true);
    expect(json.report.applications.denied_internal_affairs?.total?.flags).toContain('likely-culprit');
  });

  it('maps the 淮安市 2024 report completely with every hard rule holding', async () => {
    const json = await exportOf(REAL);
    expect(json.report).toMatchObject({ template_version: 'v2021', report_year: 2024, missing: [] });
    expect(json.report.applications.new_received?.total?.value).toBe(3119);
    expect(json.report.applications.total_processed?.total?.value).toBe(3050);
    expect(json.report.checks.filter((c) => c.passed === false && c.rule.startsWith('H'))).toEqual([]);
  });
});
