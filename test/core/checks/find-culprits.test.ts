import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../core/checks/run-checks.js';
import type { CheckValue } from '../../../core/checks/evaluate-rule.js';
import type { Check, ReportCell } from '../../../core/model/index.js';
import { applyEvidence } from '../../../core/report/apply-evidence.js';
import { T3_COLUMNS, schemaKeys } from '../../../core/report/schema.js';
import { HUAIAN_2024 } from '../../helpers/huaian-2024.js';

type Values = Record<string, CheckValue>;

function huaian(): Values {
  const v: Values = {};
  for (const key of schemaKeys('v2021')) v[key] = { value: 0 };
  for (const [row, nums] of Object.entries(HUAIAN_2024))
    nums.forEach((n, i) => (v[`applications.${row}.${T3_COLUMNS[i]}`] = { value: n }));
  return v;
}

const key = (row: string, col = 'natural_person'): string => `applications.${row}.${col}`;
const failed = (checks: readonly Check[]): Check[] => checks.filter((c) => c.status === 'fail' && c.hard);

/** The OCR cells of the values, through applyEvidence: which keys a person is asked to look at. */
function flaggedKeys(values: Values, checks: readonly Check[]): string[] {
  const cells: Record<string, ReportCell> = {};
  const quality: Record<string, { source: number; parse: number; ocr: boolean }> = {};
  for (const [k, v] of Object.entries(values)) {
    cells[k] = { key: k, raw: String(v.value), value: v.value, confidence: 0.95, flags: [], source: null };
    quality[k] = { source: 0.95, parse: 1, ocr: true };
  }
  const out = applyEvidence(cells, checks, quality);
  return Object.values(out)
    .filter((c) => c.flags.length > 0)
    .map((c) => c.key)
    .sort();
}

describe('findCulprits: two independent slips', () => {
  it('the values hold as printed', () => {
    expect(failed(runChecks({ version: 'v2021', cells: huaian() }))).toEqual([]);
  });

  it('names two slips of one column, each pinned by its own row, and clears the rest of the column', () => {
    // The flat-150 scan's misreads: 34 read 44 (结转上年度), 11 read 8 (需要另行制作).
    const v = huaian();
    v[key('carried_over')] = { value: 44 };
    v[key('unable_needs_creation')] = { value: 8 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks).map((c) => `${c.rule} ${c.scope}`)).toEqual(
      expect.arrayContaining([
        'H2 column natural_person',
        'H3 row carried_over',
        'H3 row unable_needs_creation',
        'H4 column natural_person',
      ]),
    );
    const fix = [
      { key: key('carried_over'), value: 34 },
      { key: key('unable_needs_creation'), value: 11 },
    ];
    for (const c of failed(checks).filter((c) => c.rule !== 'H8' && c.rule !== 'H9' && c.rule !== 'H10'))
      expect(c.culprits).toEqual(fix);
    expect(checks.find((c) => c.rule === 'H3' && c.scope === 'row unable_needs_creation')).toMatchObject({
      culprit: key('unable_needs_creation'),
      suggestion: 11,
    });
    // Only the two wrong cells go to a person; the 自然人 column's other 23 cells do not.
    expect(flaggedKeys(v, checks)).toEqual([key('carried_over'), key('unable_needs_creation')]);
  });

  it('names two slips of different columns in different rows (a row total among them)', () => {
    const v = huaian();
    v[key('granted', 'total')] = { value: 1352 };
    v[key('unable_not_held', 'legal_service_org')] = { value: 16 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(checks.find((c) => c.rule === 'H4' && c.scope === 'column total' && c.status === 'fail')?.culprits).toEqual([
      { key: key('granted', 'total'), value: 1362 },
      { key: key('unable_not_held', 'legal_service_org'), value: 10 },
    ]);
    // Each slip's failed row meets the other's failed column in one cell that no passing sum vouches
    // for: those two stay flagged with the culprits; the rest of both columns is cleared.
    expect(flaggedKeys(v, checks)).toEqual([
      key('granted', 'legal_service_org'),
      key('granted', 'total'),
      key('unable_not_held', 'legal_service_org'),
      key('unable_not_held', 'total'),
    ]);
  });

  it('names nobody when two equal slips could sit in either corner of a rectangle', () => {
    // 1288 read 1298 and 7 read 17: 21 → 11 with 447 → 437 explains every failed rule as well.
    const v = huaian();
    v[key('granted')] = { value: 1298 };
    v[key('partially_granted', 'commercial_enterprise')] = { value: 17 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks).length).toBeGreaterThanOrEqual(4);
    expect(checks.every((c) => c.culprits === undefined)).toBe(true);
    // Both columns stay with a person, the wrong cells among them.
    const flagged = flaggedKeys(v, checks);
    expect(flagged).toEqual(
      expect.arrayContaining([key('granted'), key('partially_granted', 'commercial_enterprise')]),
    );
    expect(flagged.filter((k) => k.endsWith('.natural_person')).length).toBeGreaterThan(20);
  });

  it('names nobody when the two slips share a row (no row sum pins either alone)', () => {
    // One row, two columns: H3 of the row holds neither apart; the pair is not pinned.
    const v = huaian();
    v[key('np_petition')] = { value: 58 };
    v[key('np_petition', 'commercial_enterprise')] = { value: 8 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(failed(checks).map((c) => `${c.rule} ${c.scope}`)).toEqual(
      expect.arrayContaining(['H3 row np_petition', 'H4 column natural_person', 'H4 column commercial_enterprise']),
    );
    expect(checks.every((c) => c.culprits === undefined)).toBe(true);
    expect(flaggedKeys(v, checks).length).toBeGreaterThan(20);
  });

  it('names nobody when a third slip leaves the column sum unexplained', () => {
    const v = huaian();
    v[key('carried_over')] = { value: 44 };
    v[key('unable_needs_creation')] = { value: 8 };
    // A third misread whose row total was misread with it (H3 of its row holds).
    v[key('denied_admin_query')] = { value: 106 };
    v[key('denied_admin_query', 'total')] = { value: 106 };
    const checks = runChecks({ version: 'v2021', cells: v });
    expect(checks.every((c) => c.culprits === undefined)).toBe(true);
    const flagged = flaggedKeys(v, checks);
    for (const k of [key('carried_over'), key('unable_needs_creation'), key('denied_admin_query')])
      expect(flagged).toContain(k);
  });
});
