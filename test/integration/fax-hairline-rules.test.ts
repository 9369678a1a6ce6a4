/**
 * A real report's hairline table rules sent by fax (fine mode): the thin rules break into dashes where
 * they cross from one scan line to the next, and a table whose row rules were not found came out with
 * its rows merged (洪泽区 2024 faxed: 108 of 186 cells missing). Page 3 of the real report, faxed here.
 */
import { describe, expect, it } from 'vitest';
import { hash } from '../../bench/fax-pdf.js';
import { faxPdf } from '../../bench/make-fax-scans.js';
import { REAL_REPORTS } from '../../bench/matrix/real-reports.js';
import { DEFAULT_LIMITS } from '../../core/index.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, readPageImage, type ImagePage } from '../../core/pdf/page-image.js';
import { findRasterLines } from '../../core/raster/find-raster-lines.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';

/** A page of a real report as the scan matrix's fax-fine device sends it (same seeds), read back as the pipeline reads it. */
async function faxedPage(id: string, page: number, key: string) {
  const report = REAL_REPORTS.find((r) => r.id === id)!;
  const bytes = await faxPdf(report.file, { key, docIndex: REAL_REPORTS.indexOf(report) * 7, ydpi: 196 });
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  try {
    return await readPageImage(indexPdfObjects(bytes), (await opened.getPage(page)) as unknown as ImagePage);
  } finally {
    await opened.destroy();
  }
}

/** 表三 (the largest grid of the page) and the horizontal rules found inside it across half its width or more. */
async function tableThree(key: string) {
  const raster = await faxedPage('real-hongze-2024', 3, key);
  expect(raster?.faxLines).toBe(true);
  const prepared = await prepareScan(raster!);
  const { tables } = findRasterTables(prepared, 3, 1, { faxLines: true });
  const area = (b: { x0: number; y0: number; x1: number; y1: number }): number => (b.x1 - b.x0) * (b.y1 - b.y0);
  const t3 = tables.slice().sort((a, b) => area(b.box) - area(a.box))[0]!;
  const k = prepared.binary.dpi / 72;
  const [x0, x1, y0, y1] = [t3.box.x0 * k, t3.box.x1 * k, t3.box.y0 * k, t3.box.y1 * k];
  const rules = findRasterLines(prepared.binary, [], { dashes: true }).filter(
    (l) =>
      l.axis === 'h' && l.at > y0 + 5 && l.at < y1 - 5 && Math.min(l.to, x1) - Math.max(l.from, x0) > (x1 - x0) / 2,
  );
  const spans = (value: boolean): number =>
    t3.cells.filter((c) => c.rowSpan > 1 && c.col >= t3.cols - 7 === value).length;
  return { rows: t3.rows, rules: rules.length, mergedValues: spans(true), labelSpans: spans(false) };
}

// Printed on this page: 表三's header rule and the 12 rules between its 13 data rows, 16 grid rows in all.
describe('hairline rules of a real report on a fine-mode fax (洪泽区 2024, page 3)', () => {
  it("joins the dashes a hairline broke into (the scan matrix's seed: 4 of the 13 rules found unbroken)", async () => {
    const { rows, rules, mergedValues, labelSpans } = await tableThree(String(hash('real-hongze-2024/fax-fine')));
    expect(rules).toBeGreaterThanOrEqual(10);
    expect(rows).toBeGreaterThanOrEqual(16);
    // Value cells merged over two rows where a rule was lost in their column only (95 over 0 read as
    // 950): 21 with the dashes joined, 8 once the edges with a remnant or between drawn ones are put back.
    expect(mergedValues).toBeLessThanOrEqual(10);
    // The labels printed over several rows (the header, 三、本年度办理结果, （三）不予公开) still span them.
    expect(labelSpans).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('puts back the rows whose rules vanished at the threshold (another seed: 6 grid rows from 4 rules)', async () => {
    const { rows } = await tableThree('other');
    expect(rows).toBeGreaterThanOrEqual(16);
  }, 120_000);
});
