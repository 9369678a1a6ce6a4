/**
 * 淮安市 2024's Times digits on a fine-mode fax: thinned to hairlines that break into specks, which the
 * ink finder drops as noise. 表三's 1288 read as 12 and 1362 as 1.302 (page 4, the scan matrix's
 * fax-fine seed); read again from the ink box's own pixels in two framings, both are whole again.
 */
import { describe, expect, it } from 'vitest';
import { hash } from '../../bench/fax-pdf.js';
import { DEVICES } from '../../bench/matrix/devices.js';
import { REAL_REPORTS } from '../../bench/matrix/real-reports.js';
import { DEFAULT_LIMITS } from '../../core/index.js';
import { OCR_FLAG_THRESHOLD } from '../../core/ocr/calibrate-confidence.js';
import { readTable } from '../../core/ocr/read-table.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, readPageImage, type ImagePage } from '../../core/pdf/page-image.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { devFaxPage } from '../helpers/faxed-page.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

/** Page `page` of a real report as the scan matrix's fax-fine device sends it, read back as the pipeline reads it. */
async function faxFinePage(id: string, page: number) {
  const report = REAL_REPORTS.find((r) => r.id === id)!;
  const device = DEVICES.find((d) => d.id === 'fax-fine')!;
  const index = REAL_REPORTS.indexOf(report) * 7 + DEVICES.indexOf(device);
  const bytes = await device.make(report.file, { seed: hash(`${report.id}/${device.id}`), index, issuer: '' });
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  try {
    return (await readPageImage(indexPdfObjects(bytes), (await opened.getPage(page)) as unknown as ImagePage))!;
  } finally {
    await opened.destroy();
  }
}

describe('fax digits read from their ink box (淮安市 2024, fine mode, 表三)', () => {
  const engine = useOcrEngine({ workers: 1 });

  it('reads 已予公开 1288 and 1362, still below the flag threshold', async () => {
    const raster = await faxFinePage('real-city-2024', 4);
    expect(raster.faxLines).toBe(true);
    const prepared = await prepareScan(raster);
    const found = findRasterTables(prepared, 4, 1, { faxLines: true });
    const i = found.tables.reduce((best, t, k) => (t.cells.length > found.tables[best]!.cells.length ? k : best), 0);
    const t3 = found.tables[i]!;
    // Row 5 of the grid: （一）予以公开, the row of 1288 … 1362 (two header rows, 新收, 上年结转, 三、's first rows).
    const row = { ...t3, cells: t3.cells.filter((c) => c.row === 5 && c.col >= t3.cols - 7) };
    const read = await readTable(found.raster ?? prepared.raster, row, i, found.cellCrops, engine(), {
      faxLines: true,
    });
    const cells = read.cells.map((c) => ({ text: c.text, confidence: c.confidence }));
    // 自然人 and 总计 (the cells between need the rest of the table: their 50 is read by its digit shapes).
    expect([cells[0]!.text, cells[6]!.text]).toEqual(['1288', '1362']);
    expect(Math.max(cells[0]!.confidence, cells[6]!.confidence)).toBeLessThan(OCR_FLAG_THRESHOLD);
  }, 180_000);

  it("reads 洪泽区 2024's 0s that the recogniser read surely as 4 and 6 as doubtful 0s by their ring", async () => {
    const raster = await faxFinePage('real-hongze-2024', 3);
    const prepared = await prepareScan(raster);
    const found = findRasterTables(prepared, 3, 1, { faxLines: true });
    const i = found.tables.reduce((best, t, k) => (t.cells.length > found.tables[best]!.cells.length ? k : best), 0);
    const t3 = found.tables[i]!;
    // 新收's 商业企业 (row 3), between 自然人's 95 and 科研机构's 0, read surely and left as read.
    const picked = { ...t3, cells: t3.cells.filter((c) => c.row === 3 && c.col >= 3 && c.col <= 5) };
    const read = await readTable(found.raster ?? prepared.raster, picked, i, found.cellCrops, engine(), {
      faxLines: true,
    });
    expect(read.cells.map((c) => c.text)).toEqual(['95', '0', '0']);
    expect(read.cells.map((c) => c.confidence >= OCR_FLAG_THRESHOLD)).toEqual([true, false, true]);
  }, 180_000);
});

describe('a sure 6 on a fine-mode fax stays a 6 though its counter rings (dev synth-1-4, 表四)', () => {
  const engine = useOcrEngine({ workers: 1 });

  it('reads 直接起诉 纠正 and 复议后起诉 总计 as the 6s they are', async () => {
    const prepared = await prepareScan(await devFaxPage('synth-1-4', 3));
    const found = findRasterTables(prepared, 3, 1, { faxLines: true });
    const i = found.tables.findIndex((t) => t.cols >= 15);
    const t4 = found.tables[i]!;
    const picked = { ...t4, cells: t4.cells.filter((c) => c.row === 3 && (c.col === 6 || c.col === 14)) };
    const read = await readTable(found.raster ?? prepared.raster, picked, i, found.cellCrops, engine(), {
      faxLines: true,
    });
    expect(read.cells.map((c) => c.text)).toEqual(['6', '6']);
  }, 180_000);
});

describe('表二 prints too few numbers to say its 4s and 7s were lost (dev synth-1-1, fine-mode fax)', () => {
  const engine = useOcrEngine({ workers: 1 });

  it('keeps the sure 1s of 表二 (188, 16) sure', async () => {
    const prepared = await prepareScan(await devFaxPage('synth-1-1', 1));
    const found = findRasterTables(prepared, 1, 1, { faxLines: true });
    const i = found.tables.reduce((best, t, k) => (t.cells.length > found.tables[best]!.cells.length ? k : best), 0);
    const t2 = found.tables[i]!;
    const read = await readTable(found.raster ?? prepared.raster, t2, i, found.cellCrops, engine(), { faxLines: true });
    const at = (row: number, col: number) => read.cells.find((c) => c.row === row && c.col === col)!;
    expect([at(7, 1).text, at(4, 3).text]).toEqual(['188', '16']);
    expect(Math.min(at(7, 1).confidence, at(4, 3).confidence)).toBeGreaterThanOrEqual(OCR_FLAG_THRESHOLD);
  }, 180_000);
});
