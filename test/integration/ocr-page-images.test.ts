import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, extractDocument, type Document, type OcrEngine } from '../../core/index.js';
import { SHARED } from '../corpus/corpus-manifest.js';

/** The smallest synth document (3 pages, v2021, no injected error); every page is OCRed twice. */
const DOC = 'synth-1-0';
const DIR = join(SHARED, 'corpus', 'dev', DOC);
const present = existsSync(join(DIR, 'scan-heavy.pdf'));
if (!present) console.warn(`ocr-page-images: skipped, ${DIR} is absent (set DOCQ_SHARED to the shared folder)`);

function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** heavy-1.jpg, heavy-2.jpg, … in page order (numeric, not lexical). */
function pageImages(): { bytes: Uint8Array; name: string }[] {
  return readdirSync(join(DIR, 'pages'))
    .map((f) => ({ f, n: Number(/^heavy-(\d+)\.jpg$/.exec(f)?.[1]) }))
    .filter((x) => Number.isInteger(x.n))
    .sort((a, b) => a.n - b.n)
    .map(({ f }) => ({ bytes: readBytes(join(DIR, 'pages', f)), name: f }));
}

/** Each report cell's value and whether it carries flags, by key. */
function cellValues(doc: Document): Record<string, { value: number | null; flagged: boolean }> {
  const out: Record<string, { value: number | null; flagged: boolean }> = {};
  for (const cell of Object.values(doc.report?.cells ?? {}))
    out[cell.key] = { value: cell.value, flagged: cell.flags.length > 0 };
  return out;
}

describe.skipIf(!present)(`${DOC}: the page images as one document read like scan-heavy.pdf`, () => {
  let ocr: OcrEngine;
  let fromImages: Document;
  let fromPdf: Document;
  let pageCount = 0;

  beforeAll(async () => {
    ocr = await createOcrEngine();
    const images = pageImages();
    pageCount = images.length;
    fromImages = await extractDocument({ images }, { ocr });
    fromPdf = await extractDocument({ bytes: readBytes(join(DIR, 'scan-heavy.pdf')), name: 'scan-heavy.pdf' }, { ocr });
  }, 120_000);

  afterAll(async () => {
    await ocr?.terminate();
  });

  it('both inputs are read page by page by OCR', () => {
    expect(pageCount).toBeGreaterThan(1);
    for (const doc of [fromImages, fromPdf]) {
      expect(doc.status).not.toBe('failed');
      expect(doc.pages.map((p) => p.number)).toEqual(Array.from({ length: pageCount }, (_, i) => i + 1));
      expect(doc.pages.every((p) => p.method === 'ocr')).toBe(true);
    }
    expect(fromImages.kind).toBe('jpeg');
    expect(fromPdf.kind).toBe('pdf');
  });

  it('gives the same template version and report year', () => {
    const truth = JSON.parse(readFileSync(join(DIR, 'gt.json'), 'utf8')) as {
      expected: { template_version: string; report_year: number };
    };
    expect(fromImages.report?.template.version).toBe(truth.expected.template_version);
    expect(fromPdf.report?.template.version).toBe(truth.expected.template_version);
    expect(fromImages.report?.metadata.reportYear).toBe(truth.expected.report_year);
    expect(fromPdf.report?.metadata.reportYear).toBe(truth.expected.report_year);
  });

  it('gives every report cell the same value and the same flagged / unflagged state', () => {
    const a = cellValues(fromImages);
    const b = cellValues(fromPdf);
    expect(Object.keys(a).length).toBeGreaterThan(100);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(a).toEqual(b);
  });
});
