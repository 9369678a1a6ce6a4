import { describe, expect, it } from 'vitest';
import type { Check, ReportCell } from '../../../core/model/index.js';
import { applyEvidence } from '../../../core/report/apply-evidence.js';

const cell = (key: string, value: number): ReportCell => ({
  key,
  raw: String(value),
  value,
  confidence: 0.4,
  flags: [],
  source: null,
});

function check(rule: Check['rule'], hard: boolean, keys: string[]): Check {
  return { rule, hard, scope: 'test', status: 'pass', keys, expected: null, actual: null, message: `${rule} holds` };
}

describe('applyEvidence: which passing rules vouch for a doubtful OCR reading', () => {
  const total = 'active_disclosure.normative_docs.total_published';
  const part = 'active_disclosure.normative_docs.new_published';
  const cells = { [total]: cell(total, 4), [part]: cell(part, 3) };
  // Doubtful readings (0.4 from the recogniser, below the flag threshold).
  const quality = { [total]: { source: 0.4, parse: 1, ocr: true }, [part]: { source: 0.4, parse: 1, ocr: true } };

  it('a soft bound that holds (S1: no part above the total) does not: a fax 17 read as 4 passed it', () => {
    const out = applyEvidence(cells, [check('S1', false, [part, total])], quality);
    expect(out[total]?.flags).toContain('low-confidence');
    expect(out[part]?.flags).toContain('low-confidence');
  });

  it('a hard bound that holds (H10: no outcome above 总计) does not: a fax 6 read as 0 passed it', () => {
    const out = applyEvidence(cells, [check('H10', true, [part, total]), check('H9', true, [part, total])], quality);
    expect(out[total]?.flags).toContain('low-confidence');
    expect(out[part]?.flags).toContain('low-confidence');
  });

  it('an exact sum that holds does', () => {
    const out = applyEvidence(cells, [check('H2', true, [part, total])], quality);
    expect(out[total]?.flags).toEqual([]);
    expect(out[total]?.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it("…but not for a number the page's digit shapes read where the recogniser read otherwise", () => {
    const shaped = { ...quality, [part]: { ...quality[part], shapeRead: true } };
    const out = applyEvidence(cells, [check('H2', true, [part, total])], shaped);
    expect(out[total]?.flags).toEqual([]);
    expect(out[part]?.flags.some((f) => f.includes('digit shapes'))).toBe(true);
    expect(out[part]?.confidence).toBeLessThanOrEqual(0.6);
  });
});

describe('applyEvidence: a count whose thousands separator was read as a point (4.597 → 4597)', () => {
  const total = 'active_disclosure.normative_docs.total_published';
  const part = 'active_disclosure.normative_docs.new_published';
  const regrouped = { ...cell(part, 4597), raw: '4.597', flags: ['ambiguous-parse'] };
  const cells = { [total]: { ...cell(total, 4600), confidence: 0.97 }, [part]: regrouped };
  const quality = {
    [total]: { source: 0.97, parse: 1, ocr: true },
    [part]: { source: 0.97, parse: 0.5, ocr: true, regrouped: true },
  };

  it('stands when an exact sum holds with the regrouped value', () => {
    const out = applyEvidence(cells, [check('H2', true, [part, total])], quality);
    expect(out[part]?.flags).toEqual([]);
  });

  it('stays flagged when only a bound holds, a sum fails, or the point was not a separator’s', () => {
    expect(applyEvidence(cells, [check('H10', true, [part, total])], quality)[part]?.flags).toContain(
      'ambiguous-parse',
    );
    const failed: Check = { ...check('H2', true, [part, total]), status: 'fail' };
    expect(applyEvidence(cells, [failed], quality)[part]?.flags).toContain('ambiguous-parse');
    const plain = { ...quality, [part]: { source: 0.97, parse: 0.5, ocr: true } };
    expect(applyEvidence(cells, [check('H2', true, [part, total])], plain)[part]?.flags).toContain('ambiguous-parse');
  });
});

describe('applyEvidence: a 表三 row whose sum holds only trivially', () => {
  const keys = ['natural_person', 'commercial_enterprise', 'total'].map(
    (c) => `applications.denied_enforcement_file.${c}`,
  );
  const zeros = Object.fromEntries(keys.map((k) => [k, { ...cell(k, 0), confidence: 0.99 }]));
  const quality = Object.fromEntries(keys.map((k) => [k, { source: 0.99, parse: 1, ocr: true }]));
  const rowSum: Check = { ...check('H3', true, keys), trivial: true };
  const columnSkipped = (k: string): Check => ({ ...check('H4', true, [k]), status: 'skipped' });

  it('is unverified when no column sum could check it: two 2s of the row read as 0s keep 0 + 0 = 0', () => {
    const out = applyEvidence(zeros, [rowSum, ...keys.map(columnSkipped)], quality);
    for (const k of keys) expect(out[k]?.flags).toContain('unverified');
  });

  it('stands when its column sums were checked', () => {
    const out = applyEvidence(zeros, [rowSum, ...keys.map((k) => check('H4', true, [k]))], quality);
    for (const k of keys) expect(out[k]?.flags).toEqual([]);
  });
});
