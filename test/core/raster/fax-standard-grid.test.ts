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
