import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, extractDocument, type Document, type OcrEngine } from '../../core/index.js';
import { makeGarbledPdf, type GarbledPdf } from '../helpers/make-garbled-pdf.js';

/** Latin-1 letters and signs and the Windows-1252 extras: what the mojibake layer is made of. */
const MOJIBAKE_CHARS =
  /[\u00A1-\u00FF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/u;

describe('a born-digital PDF whose text layer is garbage is OCRed, not trusted', () => {
  let ocr: OcrEngine;
  let pdf: GarbledPdf;
  let doc: Document;

  beforeAll(async () => {
    ocr = await createOcrEngine();
    pdf = await makeGarbledPdf();
    doc = await extractDocument({ bytes: pdf.bytes, name: 'garbled.pdf' }, { ocr });
  }, 120_000);

  afterAll(async () => {
    await ocr?.terminate();
  });

  it('the fixture really carries a mojibake text layer of at least 40 characters', () => {
    const layer = pdf.garbage.join('');
    expect([...layer.replace(/\s/g, '')].length).toBeGreaterThanOrEqual(40);
    expect(layer).toMatch(MOJIBAKE_CHARS);
    expect(layer).not.toMatch(/[\u4E00-\u9FFF]/u);
  });

  it('judges the text layer unusable as garbled and reads the page by OCR', () => {
    expect(doc.status).not.toBe('failed');
    expect(doc.pages).toHaveLength(1);
    const page = doc.pages[0]!;
    const verdict = page.textLayer;
    expect(verdict.usable).toBe(false);
    expect(verdict.reason).toBe('garbled');
    expect(verdict.usable ? '' : verdict.detail).toMatch(/Latin-1/);
    expect(page.method).toBe('ocr');
    expect(page.ocrConfidence).not.toBeNull();
    expect(doc.summary.pagesOcr).toBe(1);
  });

  it('reads what the image shows: the title and the ruled table with its digits', () => {
    const page = doc.pages[0]!;
    expect(page.text).toContain('政府信息公开工作年度报告');
    expect(doc.tables).toHaveLength(1);
    const table = doc.tables[0]!;
    expect(table.detection).toBe('raster');
    expect([table.rows, table.cols]).toEqual([pdf.rows.length, pdf.rows[0]!.length]);
    const grid = pdf.rows.map((row, r) => row.map((_, c) => table.cells.find((x) => x.row === r && x.col === c)?.text));
    // Digits exactly; labels as printed.
    expect(grid).toEqual(pdf.rows);
    expect(page.tableIds).toEqual([table.id]);
  });

  it('keeps nothing of the garbage text layer', () => {
    const page = doc.pages[0]!;
    const texts = [
      page.text,
      ...page.lines.map((l) => l.text),
      ...doc.tables.flatMap((t) => t.cells.map((c) => c.text)),
    ];
    for (const text of texts) expect(text).not.toMatch(MOJIBAKE_CHARS);
    for (const g of pdf.garbage.filter((s) => MOJIBAKE_CHARS.test(s))) expect(page.text).not.toContain(g);
  });
});
