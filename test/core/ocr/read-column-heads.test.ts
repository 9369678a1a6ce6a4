import { describe, expect, it } from 'vitest';
import { matchHead } from '../../../core/ocr/read-column-heads.js';
import { readTable, type ReadTableOptions } from '../../../core/ocr/read-table.js';
import { cellKey } from '../../../core/raster/find-raster-tables.js';
import { labelTable, measured } from '../../helpers/label-table.js';
import { useOcrEngine } from '../../helpers/ocr-engine.js';

describe('matchHead', () => {
  it('names the one column head a first row starts, every character right', () => {
    expect(matchHead('商业')).toBe(0);
    expect(matchHead('科研机')).toBe(1);
    expect(matchHead('社会公')).toBe(2);
    expect(matchHead('法律服')).toBe(3);
  });

  it('names nothing for one character, a wrong one, a whole head or another label', () => {
    expect(matchHead('商')).toBeNull();
    expect(matchHead('商叶')).toBeNull();
    expect(matchHead('商业企业')).toBeNull(); // nothing left to save: the reading is the label
    expect(matchHead('结果')).toBeNull();
    expect(matchHead('其他')).toBeNull();
  });
});

describe('readTable: 表三 column heads read from their first row (real tesseract.js)', () => {
  const ocr = useOcrEngine({ workers: 1 });
  const heads = ['商业\n企业', '科研\n机构', '社会公\n益组织', '法律服\n务机构'];

  /** The heads side by side over 表三's value columns (a label column and seven value columns). */
  async function read(labels: readonly string[], opts: ReadTableOptions = {}) {
    const t = labelTable(labels);
    const cells = t.skeleton.cells.map((c, i) => ({ ...c, row: 0, col: 2 + i }));
    const crops = new Map(labels.map((_, i) => [cellKey(0, 0, 2 + i), t.crops.get(cellKey(0, i, 0))!]));
    const m = measured(ocr());
    const got = await readTable(t.raster, { ...t.skeleton, rows: 1, cells }, 0, crops, m.engine, opts);
    return { texts: got.cells.map((c) => c.text.replace(/\s/g, '')), calls: m.calls(), widths: m.widths() };
  }

  it('gives the heads named by their first rows, one short read each', async () => {
    const got = await read(heads);
    expect(got.texts).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构']);
    expect(got.calls).toBe(heads.length);
  }, 120_000);

  it('reads every head whole when the named heads are out of order, and on fax pages', async () => {
    const swapped = [heads[1]!, heads[0]!, heads[2]!, heads[3]!];
    const got = await read(swapped);
    expect(got.calls).toBe(2 * heads.length);
    expect(got.texts[0]).toContain('科研');
    expect(got.texts[1]).toContain('商业');
    const fax = await read(heads, { faxLines: true });
    expect(fax.calls).toBe(heads.length);
    expect(fax.texts[0]).toContain('商业');
  }, 120_000);
});
