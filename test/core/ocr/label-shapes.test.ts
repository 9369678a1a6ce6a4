import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import { labelMemory, labelShape, sameLabel, type LabelShape } from '../../../core/ocr/label-shapes.js';
import { ocrPreparedPage } from '../../../core/ocr/ocr-prepared-page.js';
import { lendable, readTable } from '../../../core/ocr/read-table.js';
import { cellKey } from '../../../core/raster/find-raster-tables.js';
import { labelTable, measured } from '../../helpers/label-table.js';
import { useOcrEngine } from '../../helpers/ocr-engine.js';

/** The shapes of drawn labels, one a row of a 300-dpi label column, each shifted right by its share of a pixel. */
function shapes(labels: readonly string[], shifts: readonly number[]): LabelShape[] {
  const { raster, crops } = labelTable(labels, 4, shifts);
  return labels.map((_, row) => labelShape(findInk(raster, crops.get(cellKey(0, row, 0))!, 300))!);
}

describe('sameLabel', () => {
  it('matches a label printed again a fraction of a pixel away, never one that differs in one character', () => {
    const [a, b, c] = shapes(['结果维持', '结果维持', '结果纠正'], [0, 0.4, 0.2]);
    expect(sameLabel(a!, b!)).toBe(true);
    expect(sameLabel(a!, c!)).toBe(false);
    const [six, six2, eight] = shapes(
      ['第二十条第（六）项', '第二十条第（六）项', '第二十条第（八）项'],
      [0.3, 0, 0.1],
    );
    expect(sameLabel(six!, six2!)).toBe(true);
    expect(sameLabel(six!, eight!)).toBe(false);
  });
});

describe('labelMemory', () => {
  it('lends a sure reading to the matching shape, and has an unsure one read again', async () => {
    const [a, b, c] = shapes(['信息内容', '信息内容', '信息内容'], [0, 0.3, 0.6]);
    const sure = labelMemory<{ text: string; sure: boolean }>((r) => r.sure);
    let reads = 0;
    const itself = (text: string, isSure: boolean) => async () => {
      reads++;
      return { text, sure: isSure };
    };
    expect((await sure.read(a!, itself('信息内容', true))).text).toBe('信息内容');
    expect((await sure.read(b!, itself('other', true))).text).toBe('信息内容');
    expect(reads).toBe(1);
    const unsure = labelMemory<{ text: string; sure: boolean }>((r) => r.sure);
    reads = 0;
    await unsure.read(a!, itself('信息内窖', false));
    expect((await unsure.read(c!, itself('信息内容', true))).text).toBe('信息内容');
    expect(reads).toBe(2);
  });
});

describe('readTable: labels printed twice on a page are read once (real tesseract.js)', () => {
  const ocr = useOcrEngine({ workers: 1 });

  it('reads each printed label once and gives every cell its own text', async () => {
    const rows = ['结果维持', '结果纠正', '结果维持', '结果纠正', '尚未审结', '结果维持'];
    const { raster, skeleton, crops } = labelTable(rows, 4, [0, 0.2, 0.5, 0.7, 0.1, 0.3]);
    const m = measured(ocr());
    const got = await readTable(raster, skeleton, 0, crops, m.engine, { labels: labelMemory(lendable) });
    expect(got.cells.map((c) => c.text)).toEqual(rows);
    expect(m.calls()).toBe(3);
    // Without the page's memory every cell is read.
    const alone = measured(ocr());
    await readTable(raster, skeleton, 0, crops, alone.engine);
    expect(alone.calls()).toBe(rows.length);
  }, 120_000);
});

describe('ocrPreparedPage: the label memory (real tesseract.js)', () => {
  const ocr = useOcrEngine({ workers: 1 });
  const rows = ['信息内容', '结果维持', '信息内容', '结果维持'];

  it('serves a scanned page, and leaves a fax page read cell by cell', async () => {
    const { raster, skeleton, crops } = labelTable(rows, 4, [0, 0.3, 0.6, 0.2]);
    const found = { tables: [skeleton], cellCrops: crops, segments: [] };
    const scanned = measured(ocr());
    const a = await ocrPreparedPage({ raster, rotation: 0, found }, 1, scanned.engine);
    expect(a.tables[0]!.cells.map((c) => c.text)).toEqual(rows);
    expect(scanned.calls()).toBe(2);
    const faxed = measured(ocr());
    await ocrPreparedPage({ raster, rotation: 0, found, faxLines: true }, 1, faxed.engine);
    expect(faxed.calls()).toBe(rows.length);
  }, 120_000);
});
