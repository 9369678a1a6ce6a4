import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../core/index.js';
import { DEV, faxedTables, shape } from '../../helpers/faxed-page.js';

/** The tables the born-digital report prints on `page` (one page only). */
async function printed(doc: string, page: number): Promise<string[]> {
  const digital = await extractDocument({ bytes: readFileSync(join(DEV, doc, 'digital.pdf')), name: 'digital.pdf' });
  return shape(digital.tables.filter((t) => t.pages.length === 1 && t.pages[0] === page));
}

describe('standard-mode fax grids (98 lines an inch): the columns the born-digital table has', () => {
  it('finds the bloated left border of a 表四, so its first column (行政复议·结果维持) is kept (synth-1-2, page 3)', async () => {
    const standard = await faxedTables('synth-1-2', 3, 98, true);
    expect(shape(standard)).toEqual(await printed('synth-1-2', 3));
    expect(standard[0]!.cols).toBe(15);
  }, 60_000);
});

describe('standard-mode fax grids: row rules lost but for dashes', () => {
  it('widens 表三 to its border and gives every number its own row (synth-21x-1, page 2)', async () => {
    const t3 = (await faxedTables('synth-21x-1', 2, 98, true)).find((t) => t.cols >= 9)!;
    const fine = (await faxedTables('synth-21x-1', 2, 196, false)).find((t) => t.cols >= 9)!;
    // The left border carries no row rule: the lattice began at the first inner column rule (9 columns).
    expect(t3.cols).toBe(fine.cols);
    expect(t3.cols).toBe(10);
    // Dashes of the lost row rules made row lines with edges in their own columns only: numbers of two
    // to five rows ran together in one cell (44 1030 1095). Below the header every number cell is one row.
    const numbers = t3.cells.filter((c) => c.col >= 3 && c.row >= 3);
    expect(numbers.length).toBeGreaterThan(100);
    expect(numbers.filter((c) => c.rowSpan > 1)).toEqual([]);
    expect(t3.rows).toBeLessThanOrEqual(fine.rows);
    // A group label set vertically keeps its span: the (三) 不予公开 column is not cut at each row.
    expect(t3.cells.some((c) => c.col === 1 && c.rowSpan >= 8)).toBe(true);
  }, 60_000);
});
