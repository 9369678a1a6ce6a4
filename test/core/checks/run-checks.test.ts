import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../core/checks/run-checks.js';
import type { CheckValue } from '../../../core/checks/evaluate-rule.js';
import type { Check, ReportMetadata } from '../../../core/model/index.js';
import { T3_COLUMNS, T4_KEYS, schemaKeys, t3Rows } from '../../../core/report/schema.js';

type Values = Record<string, CheckValue>;

/** A consistent v2021 report: each outcome row has one application per column pattern, H2–H7 hold. */
function consistentV2021(): Values {
  const v: Values = {};
  for (const key of schemaKeys('v2021')) v[key] = { value: 0 };
  const row = (r: string, nums: readonly number[]): void => {
    const total = nums.reduce((a, b) => a + b, 0);
    [...nums, total].forEach((n, i) => (v[`applications.${r}.${T3_COLUMNS[i]}`] = { value: n }));
  };
  row('new_received', [10, 2, 0, 1, 0, 3]);
  row('carried_over', [1, 0, 0, 0, 0, 0]);
  row('granted', [6, 1, 0, 1, 0, 2]);
  row('denied_state_secret', [2, 0, 0, 0, 0, 0]);
  row('unable_not_held', [1, 1, 0, 0, 0, 0]);
  row('total_processed', [9, 2, 0, 1, 0, 2]);
  row('carried_forward', [2, 0, 0, 0, 0, 1]);
  Object.assign(v, {
    'review_litigation.review_upheld': { value: 3 },
    'review_litigation.review_corrected': { value: 1 },
    'review_litigation.review_total': { value: 4 },
    'active_disclosure.regulations.issued': { value: 1 },
    'active_disclosure.regulations.in_force': { value: 4 },
    'active_disclosure.admin_fees.fee_amount_wan': { value: 16.25 },
  });
  return v;
}

const failed = (checks: readonly Check[]): string[] =>
  checks.filter((c) => c.status === 'fail').map((c) => `${c.rule} ${c.scope}`);

describe('runChecks', () => {
  it('passes a consistent report and marks all-zero rules as trivial', () => {
    const checks = runChecks({ version: 'v2021', cells: consistentV2021() });
    expect(failed(checks)).toEqual([]);
    expect(checks.find((c) => c.rule === 'H3' && c.scope === 'row granted')).toMatchObject({
      status: 'pass',
      expected: 10,
      actual: 10,
    });
    expect(checks.find((c) => c.rule === 'H3' && c.scope === 'row np_duplicate')?.trivial).toBe(true);
    expect(checks.find((c) => c.rule === 'H6')?.trivial).toBe(true);
    // Every hard rule of the version is present: H2 ×7, H3 ×25, H4 ×7, H5–H7, H8 ×7, H9 ×25, H10 ×7, H1 ×3.
    expect(checks.filter((c) => c.hard).length).toBe(7 + 25 + 7 + 3 + 7 + 25 + 7 + 3);
  });

  it('names the one cell in both a failing H3 row and a failing H4 column as culprit', () => {
    const v = consistentV2021();
    v['applications.denied_state_secret.natural_person'] = { value: 5 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks)).toEqual(expect.arrayContaining(['H3 row denied_state_secret', 'H4 column natural_person']));
    const h3 = checks.find((c) => c.rule === 'H3' && c.status === 'fail');
    expect(h3).toMatchObject({ culprit: 'applications.denied_state_secret.natural_person', suggestion: 2 });
    expect(checks.find((c) => c.rule === 'H4' && c.status === 'fail')?.culprit).toBe(
      'applications.denied_state_secret.natural_person',
    );
  });

  it('names the row total when it alone breaks H3 and the H4 total column', () => {
    const v = consistentV2021();
    v['applications.granted.total'] = { value: 11 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(checks.find((c) => c.rule === 'H3' && c.status === 'fail')).toMatchObject({
      culprit: 'applications.granted.total',
      suggestion: 10,
    });
  });

  it('names a value and the row total computed from it when they moved together', () => {
    const v = consistentV2021();
    // The printed （七）总计 row has 11 instead of 9 in 自然人 and carries the slip into its total.
    v['applications.total_processed.natural_person'] = { value: 11 };
    v['applications.total_processed.total'] = { value: 16 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks)).toEqual(
      expect.arrayContaining([
        'H2 column natural_person',
        'H2 column total',
        'H4 column natural_person',
        'H4 column total',
      ]),
    );
    const fix = [
      { key: 'applications.total_processed.natural_person', value: 9 },
      { key: 'applications.total_processed.total', value: 14 },
    ];
    for (const c of checks.filter((c) => c.status === 'fail' && c.rule !== 'H8')) expect(c.culprits).toEqual(fix);
  });

  it('names nobody when the same carried slip could sit in any of several rows', () => {
    const v = consistentV2021();
    // 予以公开 自然人 6 → 7 with its row total 10 → 11: only the H4 columns fail, and the same
    // change in 不予公开 or 无法提供 would explain them as well.
    v['applications.granted.natural_person'] = { value: 7 };
    v['applications.granted.total'] = { value: 11 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks)).toEqual(['H4 column natural_person', 'H4 column total']);
    expect(checks.every((c) => c.culprit === undefined && c.culprits === undefined)).toBe(true);
  });

  it('fits two independent slips only as two values each pinned by its own row (find-culprits.test.ts)', () => {
    const v = consistentV2021();
    v['applications.granted.commercial_enterprise'] = { value: 3 };
    v['applications.denied_state_secret.natural_person'] = { value: 5 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(checks.filter((c) => c.status === 'fail').length).toBeGreaterThanOrEqual(4);
    expect(checks.find((c) => c.rule === 'H4' && c.status === 'fail')?.culprits).toEqual([
      { key: 'applications.denied_state_secret.natural_person', value: 2 },
      { key: 'applications.granted.commercial_enterprise', value: 1 },
    ]);
  });

  it('names no culprit when any of several cells could fix a lone failure', () => {
    const v = consistentV2021();
    v['review_litigation.review_total'] = { value: 5 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks)).toEqual(['H5 group review']);
    expect(checks.find((c) => c.rule === 'H5')?.culprit).toBeUndefined();
  });

  it('fails H2 on a broken balance and H8 when a column exceeds its inflow', () => {
    const v = consistentV2021();
    v['applications.carried_forward.natural_person'] = { value: 3 };
    v['applications.carried_forward.total'] = { value: 4 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks)).toEqual(['H2 column natural_person', 'H2 column total']);
    v['applications.total_processed.commercial_enterprise'] = { value: 9 };
    expect(failed(runChecks({ version: 'v2021', cells: v }))).toEqual(
      expect.arrayContaining([
        'H8 column commercial_enterprise',
        'H3 row total_processed',
        'H4 column commercial_enterprise',
      ]),
    );
  });

  it('counts blanks as 0 and says so; skips rules with missing or unparsable inputs', () => {
    const v = consistentV2021();
    v['applications.carried_over.commercial_enterprise'] = { value: null, reason: 'blank' };
    v['applications.np_petition.total'] = { value: null, reason: 'missing' };
    v['applications.np_duplicate.total'] = { value: null, reason: 'unparsable' };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(checks.find((c) => c.rule === 'H3' && c.scope === 'row carried_over')?.message).toContain(
      '1 blank cell counted as 0',
    );
    expect(checks.find((c) => c.rule === 'H3' && c.scope === 'row np_petition')).toMatchObject({ status: 'skipped' });
    expect(checks.find((c) => c.rule === 'H4' && c.scope === 'column total')?.message).toMatch(
      /skipped: .*np_petition.total missing.*np_duplicate.total unparsable/,
    );
  });

  it('H1: negative counts and fractional counts fail, signed changes and decimal fees do not', () => {
    const v = consistentV2021();
    v['applications.granted.other_org'] = { value: -2 };
    v['review_litigation.review_other'] = { value: 0.5 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(checks.find((c) => c.rule === 'H1' && c.scope === 'table applications')).toMatchObject({
      status: 'fail',
      keys: ['applications.granted.other_org'],
    });
    expect(checks.find((c) => c.rule === 'H1' && c.scope === 'table review_litigation')?.status).toBe('fail');
    expect(checks.find((c) => c.rule === 'H1' && c.scope === 'table active_disclosure')?.status).toBe('pass');
    const v19: Values = Object.fromEntries(schemaKeys('v2019').map((k) => [k, { value: 0 }]));
    v19['active_disclosure.admin_licensing.items_change'] = { value: -6 };
    v19['active_disclosure.admin_licensing.prev_year_items'] = { value: 4 };
    const c19 = runChecks({ version: 'v2019', cells: v19 });
    expect(c19.find((c) => c.rule === 'H1' && c.scope === 'table active_disclosure')?.status).toBe('pass');
    expect(c19.find((c) => c.rule === 'S1' && c.scope === 'item admin_licensing')).toMatchObject({
      status: 'fail',
      actual: -2,
      hard: false,
    });
  });

  it('uses the single （六）其他处理 row in H4 when a v2021 report prints it', () => {
    const v = consistentV2021();
    for (const r of ['other_no_correction', 'other_unpaid_fee', 'other_other'])
      for (const c of T3_COLUMNS) v[`applications.${r}.${c}`] = { value: null, reason: 'missing' };
    for (const c of T3_COLUMNS) v[`applications.other_handling.${c}`] = { value: 0 };
    expect(failed(runChecks({ version: 'v2021', cells: v }))).toEqual([]);
    v['applications.other_handling.natural_person'] = { value: 1 };
    expect(failed(runChecks({ version: 'v2021', cells: v }))).toEqual(
      expect.arrayContaining(['H4 column natural_person']),
    );
  });

  it('checks the narrative: S4 received count and no-litigation, S5 channels, S6 dates', () => {
    const meta: ReportMetadata = {
      reportYear: 2023,
      issuer: '海原县常乐镇',
      issuerFull: null,
      statPeriod: { start: '2022-01-01', end: '2022-12-31' },
      publicationDate: '2024-05-10',
      contact: null,
      formatNoticeCited: null,
      proactiveTotal: { value: 100, approx: false },
      proactiveByChannel: { 政府网站: 60, 微信公众号: 30 },
      applicationsReceivedText: 15,
      noReviewLitigationText: true,
    };
    const checks = runChecks({ version: 'v2021', cells: consistentV2021(), metadata: meta });
    expect(
      checks.filter((c) => c.rule.startsWith('S') && c.status === 'fail').map((c) => `${c.rule} ${c.scope}`),
    ).toEqual([
      'S4 applications received',
      'S4 review and litigation',
      'S5 proactive disclosure',
      'S6 statistics period',
      'S6 publication date',
    ]);
    const ok = runChecks({
      version: 'v2021',
      cells: consistentV2021(),
      metadata: {
        ...meta,
        statPeriod: { start: '2023-01-01', end: '2023-12-31' },
        publicationDate: '2024-01-27',
        applicationsReceivedText: 16,
        noReviewLitigationText: false,
        proactiveTotal: { value: 95, approx: true },
      },
    });
    expect(ok.filter((c) => c.rule.startsWith('S') && c.status === 'fail')).toEqual([]);
  });

  it('keeps the row and key sets of both versions apart', () => {
    expect(t3Rows('v2019').length).toBe(23);
    expect(t3Rows('v2021').length).toBe(25);
    expect(schemaKeys('v2019').length).toBe(22 + 161 + 15);
    expect(schemaKeys('v2021').length).toBe(10 + 175 + 15);
    expect(T4_KEYS[14]).toBe('lit_after_review_total');
  });
});
