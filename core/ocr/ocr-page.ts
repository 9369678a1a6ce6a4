import { failedPage } from '../failed-page.js';
import { decodeImage } from '../intake/decode-image.js';
import type { Limits } from '../intake/limits.js';
import type { Page, PageOrientation, Problem, Rotation, Table, TextLayerVerdict } from '../model/index.js';
import type { OpenedPdf } from '../pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage, type PdfObjectIndex } from '../pdf/page-image.js';
import type { Raster } from '../raster/raster.js';
import { findRasterTables } from '../raster/find-raster-tables.js';
import { prepareScan, type OrientationDecision } from '../raster/prepare-scan.js';
import type { OcrEngine } from './ocr-engine.js';
import { scoreUpright } from './score-upright.js';
import { ocrPreparedPage, type OcrPageResult } from './ocr-prepared-page.js';

/** Milliseconds per OCR stage of one page (bench/ocr.ts reads them). */
export interface OcrStageTimings {
  prepare: number;
  grid: number;
  recognise: number;
}

export interface OcrSourceResult {
  readonly page: Page;
  readonly tables: Table[];
  readonly problems: Problem[];
  readonly calls: number;
  readonly timings: OcrStageTimings;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function addRotation(a: Rotation, b: Rotation): Rotation {
  return ((a + b) % 360) as Rotation;
}

function pageOrientation(d: OrientationDecision): PageOrientation {
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    evidence: round(d.evidence.score),
    uprightMargin: d.upright ? round(Math.abs(d.upright[0] - d.upright[1])) : null,
    uncertain: d.uncertain,
  };
}

/** OCR a raw page raster: prepare it (orientation, deskew, binarisation), find its grids, read prose and cells. */
export async function ocrPage(
  raster: Raster,
  pageNumber: number,
  engine: OcrEngine,
  textLayer?: TextLayerVerdict,
  baseRotation: Rotation = 0,
): Promise<OcrSourceResult> {
  const timings: OcrStageTimings = { prepare: 0, grid: 0, recognise: 0 };
  let t = performance.now();
  const prepared = await prepareScan(raster, { scoreUpright: scoreUpright(engine) });
  timings.prepare = performance.now() - t;
  t = performance.now();
  const found = findRasterTables(prepared, pageNumber);
  timings.grid = performance.now() - t;
  t = performance.now();
  // A keystoned photo comes back rectified: its boxes and crops refer to that raster.
  const input = {
    raster: found.raster ?? prepared.raster,
    rotation: addRotation(baseRotation, prepared.rotation),
    orientation: pageOrientation(prepared.orientation),
    found,
    ...(textLayer ? { textLayer } : {}),
  };
  const result: OcrPageResult = await ocrPreparedPage(input, pageNumber, engine);
  timings.recognise = performance.now() - t;
  return { ...result, timings };
}

const indexes = new WeakMap<OpenedPdf, Promise<PdfObjectIndex>>();

async function indexOf(pdf: OpenedPdf): Promise<PdfObjectIndex> {
  let index = indexes.get(pdf);
  if (!index) {
    index = pdf.proxy.getData().then((bytes) => indexPdfObjects(bytes));
    indexes.set(pdf, index);
  }
  return index;
}

function failed(pageNumber: number, problem: Problem): OcrSourceResult {
  return {
    page: failedPage(pageNumber),
    tables: [],
    problems: [problem],
    calls: 0,
    timings: { prepare: 0, grid: 0, recognise: 0 },
  };
}

/**
 * OCR one PDF page (image-only, or a text layer judged unusable): the embedded page image when the
 * page is one image, else a render (D1's loadPageRaster), then ocrPage. Never throws.
 */
export async function ocrPdfPage(
  pdf: OpenedPdf,
  pageNumber: number,
  engine: OcrEngine,
  textLayer?: TextLayerVerdict,
): Promise<OcrSourceResult> {
  try {
    const page = await pdf.getPage(pageNumber);
    const loaded = await loadPageRaster(await indexOf(pdf), page as unknown as ImagePage, pageNumber);
    if (loaded.status === 'failed') return failed(pageNumber, loaded.problem);
    const rotate = (((Math.round(page.rotate / 90) * 90) % 360) + 360) % 360;
    return await ocrPage(loaded.raster, pageNumber, engine, textLayer, rotate as Rotation);
  } catch (e) {
    return failed(pageNumber, { code: 'OCR_FAILED', message: message(e), stage: 'ocr', page: pageNumber });
  }
}

export interface OcrImagesOptions {
  /** 1-based inclusive page range over all pages of all images. */
  readonly range?: { readonly from: number; readonly to: number };
  readonly limits?: Limits;
  readonly onPage?: (pageNumber: number) => void;
  readonly signal?: AbortSignal;
}

export interface OcrImagesResult {
  readonly pageCount: number;
  readonly pages: Page[];
  readonly tables: Table[];
  readonly problems: Problem[];
  readonly timings: OcrStageTimings;
}

/**
 * OCR a document made of page images (JPEG/PNG/TIFF, multi-page TIFF too), in the order given.
 * An undecodable image fails the document (CORRUPT from decodeImage); a page that fails OCR fails only itself.
 */
export async function ocrImagePages(
  parts: readonly Uint8Array[],
  engine: OcrEngine,
  opts: OcrImagesOptions = {},
): Promise<OcrImagesResult> {
  const rasters: Raster[] = [];
  const timings: OcrStageTimings = { prepare: 0, grid: 0, recognise: 0 };
  for (const bytes of parts) {
    const decoded = await decodeImage(bytes);
    if (decoded.status === 'failed')
      return { pageCount: 0, pages: [], tables: [], problems: [decoded.problem], timings };
    rasters.push(...decoded.pages);
  }
  const maxPages = opts.limits?.maxPages ?? Number.MAX_SAFE_INTEGER;
  if (rasters.length > maxPages) {
    return {
      pageCount: rasters.length,
      pages: [],
      tables: [],
      problems: [
        { code: 'TOO_LARGE', message: `${rasters.length} pages exceed the limit of ${maxPages}`, stage: 'intake' },
      ],
      timings,
    };
  }
  const pages: Page[] = [];
  const tables: Table[] = [];
  const problems: Problem[] = [];
  const from = Math.max(1, opts.range?.from ?? 1);
  const to = Math.min(rasters.length, opts.range?.to ?? rasters.length);
  for (let n = from; n <= to; n++) {
    if (opts.signal?.aborted) {
      problems.push({ code: 'TIMEOUT', message: 'extraction was cancelled', stage: 'ocr', page: n });
      break;
    }
    let r: OcrSourceResult;
    try {
      r = await ocrPage(rasters[n - 1]!, n, engine);
    } catch (e) {
      r = failed(n, { code: 'OCR_FAILED', message: message(e), stage: 'ocr', page: n });
    }
    pages.push(r.page);
    tables.push(...r.tables);
    problems.push(...r.problems);
    timings.prepare += r.timings.prepare;
    timings.grid += r.timings.grid;
    timings.recognise += r.timings.recognise;
    opts.onPage?.(n);
  }
  return { pageCount: rasters.length, pages, tables, problems, timings };
}
