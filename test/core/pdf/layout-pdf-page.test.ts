import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { isProblem } from '../../../core/intake/is-problem.js';
import { layoutPdfPage, type PdfPageLayout } from '../../../core/pdf/layout-pdf-page.js';
import { openPdf } from '../../../core/pdf/open-pdf.js';
import { gridPage, makePdf, type PageSpec } from '../../helpers/make-pdf.js';

async function layout(specs: PageSpec[], pageNumber = 1): Promise<PdfPageLayout> {
  const pdf = await openPdf(await makePdf(specs), DEFAULT_LIMITS);
  if (isProblem(pdf)) throw new Error(pdf.message);
  try {
    const result = await layoutPdfPage(pdf, pageNumber);
    if (isProblem(result)) throw new Error(result.message);
    return result;
  } finally {
    await pdf.destroy();
  }
}

function rowsOf(result: PdfPageLayout, index = 0): string[][] {
  const rows: string[][] = [];
  for (const c of result.tables[index]?.cells ?? []) (rows[c.row] ??= [])[c.col] = c.text;
  return rows;
}

const table = gridPage({
  x: 60,
  y: 120,
  colWidths: [160, 100, 100],
  rowHeight: 24,
  rows: [
    ['Caption over all columns', null, null],
    ['Item', 'Issued', 'In force'],
    ['Rules', '1', '11'],
    ['Normative documents', '8', '66'],
  ],
  mergeRight: [
    { row: 0, col: 0 },
    { row: 0, col: 1 },
  ],
});

describe('layoutPdfPage', () => {
  it('lays out a ruled table with a spanning caption, plus the page text and verdict', async () => {
    const result = await layout([
      { ...table, texts: [...table.texts, { x: 60, y: 80, text: 'Annual report on disclosure' }] },
    ]);
    expect(result.page).toMatchObject({ number: 1, method: 'text-layer', rotation: 0, textLayer: { usable: true } });
    expect(result.page.text.split('\n')[0]).toBe('Annual report on disclosure');
    expect(result.tables).toHaveLength(1);
    expect(result.tables[0]).toMatchObject({ id: 'p1-t1', rows: 4, cols: 3, detection: 'ruled', pages: [1] });
    expect(result.tables[0]?.cells[0]).toMatchObject({ row: 0, col: 0, colSpan: 3, text: 'Caption over all columns' });
    expect(rowsOf(result).slice(1)).toEqual([
      ['Item', 'Issued', 'In force'],
      ['Rules', '1', '11'],
      ['Normative documents', '8', '66'],
    ]);
    expect(result.page.tableIds).toEqual(['p1-t1']);
    expect(result.raw.imageCoverage).toBe(0);
  });

  it('reads a landscape table stored on a portrait sheet with /Rotate 90 (content drawn sideways)', async () => {
    // upright (u, v) on the turned page is (x, y) = (v, H − u) on the 595 × 842 sheet; text runs up the sheet
    const H = 842;
    const sheet: PageSpec = {
      rotate: 90,
      lines: table.lines.map((l) => ({ x1: l.y1, y1: H - l.x1, x2: l.y2, y2: H - l.x2 })),
      texts: table.texts.map((t) => ({ x: t.y, y: H - t.x, text: t.text, rotate: 90 as const })),
    };
    const result = await layout([sheet]);
    expect(result.page.rotation).toBe(90);
    expect(result.page.size).toEqual({ width: 842, height: 595 });
    expect(result.tables[0]).toMatchObject({ rows: 4, cols: 3 });
    expect(rowsOf(result)[3]).toEqual(['Normative documents', '8', '66']);
  });

  it('turns a sideways table on a portrait page without /Rotate so its rows read normally', async () => {
    const H = 842;
    const sideways: PageSpec = {
      lines: table.lines.map((l) => ({ x1: l.y1, y1: H - l.x1, x2: l.y2, y2: H - l.x2 })),
      texts: table.texts.map((t) => ({ x: t.y, y: H - t.x, text: t.text, rotate: 90 as const })),
    };
    const result = await layout([sideways]);
    expect(result.page.rotation).toBe(90);
    expect(rowsOf(result)[1]).toEqual(['Item', 'Issued', 'In force']);
  });

  it('turns only the table when a sideways table shares the page with upright text', async () => {
    const H = 842;
    const prose = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({
      x: 330,
      y: 100 + i * 14,
      text: 'Upright paragraph text line ' + i,
    }));
    const mixed: PageSpec = {
      lines: table.lines.map((l) => ({ x1: l.y1, y1: H - l.x1, x2: l.y2, y2: H - l.x2 })),
      texts: [...prose, ...table.texts.map((t) => ({ x: t.y, y: H - t.x, text: t.text, rotate: 90 as const }))],
    };
    const result = await layout([mixed]);
    expect(result.page.rotation).toBe(0);
    expect(result.tables[0]).toMatchObject({ rows: 4, cols: 3 });
    expect(rowsOf(result)[2]).toEqual(['Rules', '1', '11']);
    // boxes stay on the page: the table occupies the left strip of the portrait sheet
    expect(result.tables[0]?.box.x1).toBeLessThan(300);
  });

  it('returns the verdict and no tables for a page without a usable text layer', async () => {
    const result = await layout([{ lines: table.lines }]);
    expect(result.page.method).toBe('ocr');
    expect(result.page.textLayer).toMatchObject({ usable: false, reason: 'none' });
    expect(result.tables).toEqual([]);
  });

  it('sends a page with a damaged content stream to OCR and keeps the pages around it', async () => {
    const specs: PageSpec[] = [
      { texts: [{ x: 40, y: 60, text: 'first page of the report' }] },
      { texts: [{ x: 40, y: 60, text: 'lost' }], damagedContent: true },
      { texts: [{ x: 40, y: 60, text: 'third page of the report' }] },
    ];
    const pages = await Promise.all([1, 2, 3].map((n) => layout(specs, n)));
    expect(pages.map((p) => [p.page.method, p.page.text])).toEqual([
      ['text-layer', 'first page of the report'],
      ['ocr', ''],
      ['text-layer', 'third page of the report'],
    ]);
  });

  it('returns a TIMEOUT problem when a page takes longer than the limit', async () => {
    const pdf = await openPdf(await makePdf([{ ...table }]), DEFAULT_LIMITS);
    if (isProblem(pdf)) throw new Error(pdf.message);
    try {
      expect(await layoutPdfPage(pdf, 1, { timeoutMs: 0 })).toMatchObject({ code: 'TIMEOUT', page: 1 });
      expect(await layoutPdfPage(pdf, 1, { timeoutMs: 60_000 })).toMatchObject({ page: { number: 1 } });
    } finally {
      await pdf.destroy();
    }
  });

  it('returns a PAGE_FAILED problem for a page number that does not exist', async () => {
    const pdf = await openPdf(await makePdf([{}]), DEFAULT_LIMITS);
    if (isProblem(pdf)) throw new Error(pdf.message);
    try {
      expect(await layoutPdfPage(pdf, 5)).toMatchObject({ code: 'PAGE_FAILED', page: 5, stage: 'layout' });
    } finally {
      await pdf.destroy();
    }
  });
});
