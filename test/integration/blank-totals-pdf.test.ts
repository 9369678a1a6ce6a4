import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blankCells, readLayout } from '../../bench/matrix/compose-report.js';
import { SHARED } from '../../bench/bench-util.js';
import { extractDocument, type Document } from '../../core/index.js';
import { printHtml } from '../helpers/print-html.js';

/** Rows whose 总计 Shanghai 2019 printed; every other row left it blank, like every zero. */
const PRINTED_TOTALS = new Set(['new_received', 'carried_over', 'total_processed', 'carried_forward']);

describe('a born-digital v2019 report that prints blanks where others print 0, row totals included (domain.md §7.3)', () => {
  const layout = readLayout(join(SHARED, 'corpus', 'dev', 'synth-2019-1'));
  const report = blankCells(
    layout,
    (row, column, value) => value === 0 || (column === 'total' && !PRINTED_TOTALS.has(row)),
  );
  const rows = report.gt.expected.applications;
  const blankTotals = Object.keys(rows).filter((r) => rows[r]!.total === null);
  const partsRead = (r: string): number =>
    Object.entries(layout.gt.expected.applications[r]!).reduce((s, [c, v]) => (c === 'total' ? s : s + (v ?? 0)), 0);
  let doc: Document;
  beforeAll(async () => {
    doc = await extractDocument({ bytes: printHtml(report.html), name: 'blank-totals.pdf' });
  }, 120_000);

  it('reads every cell as printed: blanks stay null', () => {
    expect(blankTotals.length).toBeGreaterThan(10);
    for (const [row, columns] of Object.entries(rows))
      for (const [column, want] of Object.entries(columns))
        expect(doc.report!.cells[`applications.${row}.${column}`]?.value, `${row}.${column}`).toBe(want);
  });

  it('a blank printed total makes H3 unverifiable, not failed, and the total is derived from the parts', () => {
    const h3 = doc.report!.checks.filter((c) => c.rule === 'H3');
    expect(h3.filter((c) => c.status === 'fail')).toEqual([]);
    const withParts = blankTotals.filter((r) => partsRead(r) > 0);
    expect(withParts.length).toBeGreaterThan(3);
    for (const r of withParts) {
      expect(h3.find((c) => c.scope === `row ${r}`)).toMatchObject({ status: 'skipped' });
      expect(doc.report!.cells[`applications.${r}.total`]).toMatchObject({ value: null, derived: partsRead(r) });
    }
    // The column sums (H4 on 总计) read the derived totals and hold against the printed （七）总计.
    expect(doc.report!.checks.find((c) => c.rule === 'H4' && c.scope.includes('total'))).toMatchObject({
      status: 'pass',
    });
  });

  it('says so once on the report and keeps every cell out of the review queue', () => {
    const said = doc.flags.filter((f) => f.kind === 'inferred');
    expect(said).toHaveLength(1);
    expect(said[0]!.severity).toBe('info');
    const flagged = Object.values(doc.report!.cells).filter(
      (c) => c.key.startsWith('applications.') && c.flags.length > 0,
    );
    expect(flagged.map((c) => `${c.key} ${c.flags.join(',')}`)).toEqual([]);
  });
});
