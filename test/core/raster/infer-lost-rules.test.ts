import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../core/index.js';
import type { Table } from '../../../core/model/index.js';
import { DEV, faxedTables as tablesOf, shape } from '../../helpers/faxed-page.js';

describe('inferLostRules: rows of a standard-mode fax table whose row rules fell between scan lines', () => {
  it('gives the 表二 of a v2019 report the rows the fine-mode fax of the same page has', async () => {
    const fine = await tablesOf('synth-2019-2', 1, 196, false);
    expect(shape(fine)).toEqual(['10x4']);
    // At 98 lines an inch the thin row rules are gone: the lattice is a few tall bands.
    const lost = await tablesOf('synth-2019-2', 1, 98, false);
    expect(lost[0]!.rows).toBeLessThan(fine[0]!.rows);
    const standard = await tablesOf('synth-2019-2', 1, 98, true);
    expect(shape(standard)).toEqual(shape(fine));
    // The caption rows span the table as on the fine page.
    const spans = (t: Table): string[] => t.cells.map((c) => `${c.row},${c.col}:${c.rowSpan}x${c.colSpan}`);
    expect(spans(standard[0]!)).toEqual(spans(fine[0]!));
  }, 60_000);

  it('does not split the wrapped two-line headers of a 表四: the rows of the born-digital table', async () => {
    const digital = await extractDocument({
      bytes: readFileSync(join(DEV, 'synth-2019-2', 'digital.pdf')),
      name: 'digital.pdf',
    });
    const printed = digital.tables.filter((t) => t.pages.length === 1 && t.pages[0] === 3);
    expect(shape(printed)).toEqual(['4x15']);
    const standard = await tablesOf('synth-2019-2', 3, 98, true);
    expect(shape(standard).slice(-1)).toEqual(shape(printed));
  }, 60_000);
});

describe('inferLostRules: the dashes a lost rule leaves between two rows', () => {
  it('splits the rows of a tightly set 表三 whose every row rule was lost (synth-21x-1, page 2)', async () => {
    const t3 = (tables: Table[]): Table => tables.find((t) => t.cols >= 9)!;
    const fine = t3(await tablesOf('synth-21x-1', 2, 196, false));
    const standard = t3(await tablesOf('synth-21x-1', 2, 98, true));
    // The dashes were taken for writing across the gap: 18 rows; the fine-mode page has all of them.
    expect(standard.rows).toBeGreaterThanOrEqual(21);
    expect(standard.rows).toBeLessThanOrEqual(fine.rows);
  }, 60_000);
});
