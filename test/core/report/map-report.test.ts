import { describe, expect, it } from 'vitest';
import { buildTable } from '../../helpers/table-builder.js';
import { BUDGET_TABLE, T3_SAMPLE, t2V2021, t3BodyV2021, t3Header, t4Table } from './fixtures.js';
import { failedRules, report, T4_VALUES, value } from './map-report-helpers.js';

describe('mapReport on a clean v2021 report', () => {
  const tables = [
    buildTable(BUDGET_TABLE, { id: 'p1-t1' }),
    buildTable(t2V2021(), { id: 'p2-t1' }),
    buildTable([...t3Header(), ...t3BodyV2021(T3_SAMPLE)], { id: 'p2-t2+p3-t1' }),
    buildTable(t4Table(T4_VALUES), { id: 'p3-t2' }),
  ];
  const r = report(tables);

  it('decides the template from the labels, agreeing with notice and year', () => {
    expect(r.template.version).toBe('v2021');
    expect(r.template.conflict).toBe(false);
    expect(r.template.evidence).toEqual(expect.arrayContaining(['notice cited → v2021', 'report year 2023 → v2021']));
  });

  it('maps every key of the three tables', () => {
    expect(r.missing).toEqual([]);
    expect(value(r, 'active_disclosure.normative_docs.repealed')).toBe(2);
    expect(value(r, 'active_disclosure.admin_compulsion.decisions')).toBe(2);
    expect(r.cells['active_disclosure.admin_fees.fee_amount_wan']).toMatchObject({ value: 16.25, unit: '万元' });
    expect(value(r, 'applications.new_received.total')).toBe(690);
    expect(value(r, 'applications.denied_state_secret.natural_person')).toBe(5);
    expect(value(r, 'applications.other_other.natural_person')).toBe(1);
    expect(value(r, 'applications.carried_forward.public_welfare_org')).toBe(30);
    expect(value(r, 'review_litigation.review_total')).toBe(5);
    expect(value(r, 'review_litigation.lit_after_review_total')).toBe(2);
  });

  it('passes every hard rule with no cell flagged and high confidence', () => {
    expect(failedRules(r)).toEqual([]);
    expect(Object.values(r.cells).filter((c) => c.flags.length > 0)).toEqual([]);
    expect(r.cells['applications.granted.total']?.confidence).toBe(1);
  });

  it('keeps the budget table unmapped and none of its numbers in the schema', () => {
    expect(r.unmappedTableIds).toEqual(['p1-t1']);
    expect(r.mappedTableIds.applications).toEqual(['p2-t2+p3-t1']);
    const budget = new Set(['1.09', '0.96', '28.64', '23.17', '29.73', '24.13']);
    expect(Object.values(r.cells).filter((c) => c.raw !== null && budget.has(c.raw))).toEqual([]);
  });

  it('reads the metadata from the text', () => {
    expect(r.metadata).toMatchObject({
      reportYear: 2023,
      issuer: '海原县常乐镇',
      issuerFull: '海原县常乐镇人民政府',
      statPeriod: { start: '2023-01-01', end: '2023-12-31' },
      publicationDate: '2024-01-27',
      formatNoticeCited: '国办公开办函〔2021〕30号',
      proactiveTotal: { value: 1308, approx: false },
      proactiveByChannel: { 政府门户网站: 600, 政务新媒体: 708 },
      applicationsReceivedText: 690,
    });
    expect(r.metadata.contact).toMatchObject({ postcode: '755200', phone: '0955-1234567', email: 'cl@example.cn' });
    expect(r.sections.map((s) => s.key)).toEqual([
      's1_overview',
      's2_proactive',
      's3_applications',
      's4_review_litigation',
      's5_problems',
      's6_other',
    ]);
    expect(r.checks.filter((c) => c.rule.startsWith('S') && c.status === 'fail')).toEqual([]);
  });
});

describe('mapReport on fragments the stitcher left apart', () => {
  it('maps a table-二 tail and a table-三 tail that carry no caption, header or anchor of their own', () => {
    const t2 = t2V2021();
    const t3 = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const tables = [
      buildTable(t2.slice(0, 8), { id: 'p1-t1' }),
      buildTable(t2.slice(8), { id: 'p2-t1', page: 2 }),
      buildTable(t3.slice(0, 25), { id: 'p2-t2', page: 2 }),
      // The last rows: 3.其他, （七）总计, 四、结转下年度继续办理 — only 结转下年 is an anchor, and it is cut here.
      buildTable(
        t3.slice(25, 27).map((row) => row.filter((c) => typeof c === 'string')),
        { id: 'p3-t1', page: 3 },
      ),
      buildTable(t4Table(T4_VALUES), { id: 'p3-t2', page: 3 }),
    ];
    const r = report(tables);
    expect(r.mappedTableIds).toEqual({
      active_disclosure: ['p1-t1', 'p2-t1'],
      applications: ['p2-t2', 'p3-t1'],
      review_litigation: ['p3-t2'],
    });
    expect(value(r, 'active_disclosure.admin_compulsion.decisions')).toBe(2);
    expect(value(r, 'applications.other_other.natural_person')).toBe(1);
    expect(value(r, 'applications.total_processed.total')).toBe(587);
  });
});

describe('mapReport on merged grids', () => {
  it('splits table 三 running straight into table 四 (no heading between them)', () => {
    const t3 = t3BodyV2021(T3_SAMPLE).slice(0, 4);
    const vertical = ['', '', '', '', '', '持', '正', '果', '结', '', '持', '正', '果', '结', ''];
    const rows = [...t3.map((r) => [...r, '', '', '', '', '']), vertical, T4_VALUES];
    const r = report([buildTable(rows, { id: 'p2-t1' })]);
    expect(r.mappedTableIds).toMatchObject({ applications: ['p2-t1'], review_litigation: ['p2-t1'] });
    expect(value(r, 'applications.granted.total')).toBe(440);
    expect(value(r, 'review_litigation.review_total')).toBe(5);
    expect(r.cells['review_litigation.review_total']?.source).toMatchObject({ tableId: 'p2-t1', row: 5 });
    expect(r.missing).toContain('applications.np_duplicate.total');
    expect(r.cells['applications.np_duplicate.natural_person']?.reason).toBe('missing');
  });
});
