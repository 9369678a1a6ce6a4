/**
 * Page 2 of the scan matrix's WenQuanYi Micro Hei report 0 as its `photo` device takes it (the seed
 * the matrix uses): 行政强制's 本年增/减 prints −5 and 政府集中采购's 采购总金额 3,233,711元. The
 * recogniser read the first as 5 at 0.99 (the minus dropped) and the digits setup the second as
 * 3233.71170 (元 as 70): both wrong, both caught, and the row one cell short of 99 % correct.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hash } from '../../bench/fax-pdf.js';
import { devLayouts } from '../../bench/matrix/compose-report.js';
import { DEVICES, FAMILIES } from '../../bench/matrix/devices.js';
import { familyReport } from '../../bench/matrix/family-report.js';
import { DEFAULT_LIMITS } from '../../core/intake/limits.js';
import { OCR_FLAG_THRESHOLD } from '../../core/ocr/calibrate-confidence.js';
import { readTable } from '../../core/ocr/read-table.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../../core/pdf/page-image.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { parseNumber } from '../../core/report/parse-number.js';
import { SHARED } from '../corpus/corpus-manifest.js';
import { printHtml } from '../helpers/print-html.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

describe('a photographed minus and an amount with its unit (Micro Hei, photo)', () => {
  const ocr = useOcrEngine({ workers: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'docq-photo-sign-'));
  let texts: { text: string; confidence: number }[];
  let want: number[];

  beforeAll(async () => {
    const family = FAMILIES.find((f) => f.id === 'microhei')!;
    const device = DEVICES.find((d) => d.id === 'photo')!;
    const { html, gt } = familyReport(family, 0, devLayouts(join(SHARED, 'corpus', 'dev')));
    const printed = join(dir, 'printed.pdf');
    writeFileSync(printed, printHtml(html));
    const issuer = String(gt.expected['issuer'] ?? '人民政府办公室');
    const index = FAMILIES.indexOf(family) * 7 + DEVICES.indexOf(device);
    const bytes = await device.make(printed, { seed: hash('microhei/photo/0'), index, issuer });
    const pdf = await openPdf(bytes.slice(), DEFAULT_LIMITS);
    if (!('proxy' in pdf)) throw new Error(pdf.message);
    const loaded = await loadPageRaster(
      await indexPdfObjects(bytes),
      (await pdf.getPage(2)) as unknown as ImagePage,
      2,
    );
    if (loaded.status !== 'ok') throw new Error(loaded.problem.message);
    const prepared = await prepareScan(loaded.raster);
    const found = findRasterTables(prepared, 2);
    const t = found.tables[0]!;
    // Rows 10 and 16 of the page's first grid: 行政强制 and 政府集中采购, their second value column.
    const wanted = { ...t, cells: t.cells.filter((c) => c.col === 2 && (c.row === 10 || c.row === 16)) };
    const read = await readTable(found.raster ?? prepared.raster, wanted, 0, found.cellCrops, ocr(), {});
    texts = read.cells.map((c) => ({ text: c.text, confidence: c.confidence }));
    const active = gt.expected['active_disclosure'] as Record<string, Record<string, number>>;
    want = [active['admin_compulsion']!['items_change']!, active['gov_central_procurement']!['procurement_amount']!];
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads both right, still flagged', () => {
    expect(texts.map((t) => parseNumber(t.text).value)).toEqual(want);
    expect(want[0]).toBeLessThan(0);
    for (const t of texts) expect(t.confidence).toBeLessThan(OCR_FLAG_THRESHOLD);
  });
});
