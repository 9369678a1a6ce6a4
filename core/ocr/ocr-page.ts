import { failedPage } from '../failed-page.js';
import { decodePage, openImage } from '../intake/decode-image.js';
import { withDeadline } from '../with-deadline.js';
import { engineUntil } from './engine-until.js';
import type { Limits } from '../intake/limits.js';
import type { Page, PageOrientation, Problem, Rotation, Table, TextLayerVerdict } from '../model/index.js';
import type { OpenedPdf } from '../pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage, type PdfObjectIndex } from '../pdf/page-image.js';
import type { Raster } from '../raster/raster.js';
import { findRasterTables, type RasterTables } from '../raster/find-raster-tables.js';
import {
  asPrepared,
  chooseUpright,
  decision,
  levelScan,
  MIN_DESKEW_DEG,
  type OrientationDecision,
  type PreparedScan,
} from '../raster/prepare-scan.js';
import { cpuMs } from './cpu-time.js';
import type { OcrEngine } from './ocr-engine.js';
import { scoreUpright, SURE_PROSE_UPRIGHT } from './score-upright.js';
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
  /** CPU milliseconds per stage (cpu-time.ts: the process, its worker threads and finished children): exact when one page is read at a time. */
  readonly cpu: OcrStageTimings;
}

const NO_TIME: OcrStageTimings = { prepare: 0, grid: 0, recognise: 0 };

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
    uprightMargin: d.upright && d.upright[1] !== null ? round(Math.abs(d.upright[0] - d.upright[1])) : null,
    uncertain: d.uncertain,
  };
}

/**
 * OCR a raw page raster: level it (orientation 0 vs 90, deskew, binarisation), find its grids, read
 * prose and cells. Whether it is upside down is asked of its own reading first: prose that reads
 * surely (proseUprightScore) settles it; otherwise the upright scorer's strips decide as before and
 * a page they turn is found and read again. Upright pages, nearly all of them, save the strip reads.
 */
export async function ocrPage(
  raster: Raster,
  pageNumber: number,
  engine: OcrEngine,
  textLayer?: TextLayerVerdict,
  baseRotation: Rotation = 0,
): Promise<OcrSourceResult> {
  const timings: OcrStageTimings = { prepare: 0, grid: 0, recognise: 0 };
  const cpu: OcrStageTimings = { prepare: 0, grid: 0, recognise: 0 };
  const stage = async <T>(name: keyof OcrStageTimings, run: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const c = cpuMs();
    try {
      return await run();
    } finally {
      timings[name] += performance.now() - t;
      cpu[name] += cpuMs() - c;
    }
  };
  const scan = await stage('prepare', () => levelScan(raster));
  const readAs = async (prepared: PreparedScan): Promise<Read> => {
    const found = await stage('grid', () =>
      findRasterTables(prepared, pageNumber, 1, {
        coarse: raster.lineDpi !== undefined,
        faxLines: raster.faxLines === true,
      }),
    );
    // A keystoned photo comes back rectified: its boxes and crops refer to that raster.
    const input = {
      raster: found.raster ?? prepared.raster,
      rotation: addRotation(baseRotation, prepared.rotation),
      orientation: pageOrientation(prepared.orientation),
      found,
      ...(textLayer ? { textLayer } : {}),
      ...(raster.lineDpi !== undefined ? { lineDpi: raster.lineDpi } : {}),
      ...(raster.faxLines ? { faxLines: true } : {}),
    };
    const result = await stage('recognise', () => ocrPreparedPage(input, pageNumber, engine));
    return { prepared, found, result };
  };
  let read = await readAs(await stage('prepare', () => asPrepared(scan, null)));
  const prose = read.result.uprightScore;
  let orientation: OrientationDecision;
  if (prose !== null && prose >= SURE_PROSE_UPRIGHT) {
    orientation = decision(scan.evidence, [prose, null]);
  } else {
    const choice = await stage('prepare', () => chooseUpright(scan, scoreUpright(engine)));
    if (choice.turned) {
      const calls = read.result.calls;
      read = await readAs(await stage('prepare', () => asPrepared(scan, choice)));
      read = { ...read, result: { ...read.result, calls: read.result.calls + calls } };
    }
    orientation = decision(scan.evidence, choice.upright);
  }
  const { prepared, found, result } = read;
  // The geometry of the raster read, so the review page can redo it without finding it again.
  const deskewDeg = Math.abs(prepared.skewDeg) >= MIN_DESKEW_DEG ? prepared.skewDeg : 0;
  const image = result.page.image && { ...result.page.image, deskewDeg, rectified: found.raster !== undefined };
  const page = { ...result.page, image, orientation: pageOrientation(orientation) };
  return { page, tables: result.tables, problems: result.problems, calls: result.calls, timings, cpu };
}

interface Read {
  readonly prepared: PreparedScan;
  readonly found: RasterTables;
  readonly result: OcrPageResult;
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
    timings: NO_TIME,
    cpu: NO_TIME,
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
  /** A page whose OCR takes longer fails alone with PAGE_TIMEOUT. */
  readonly pageTimeoutMs?: number;
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
 * An image whose header is unreadable fails the document (CORRUPT); a page that cannot be decoded or read fails only itself.
 */
export async function ocrImagePages(
  parts: readonly Uint8Array[],
  engine: OcrEngine,
  opts: OcrImagesOptions = {},
): Promise<OcrImagesResult> {
  // Headers first; a page is decoded only when its turn comes, within the range, and dropped after
  // its OCR: a 200-page TIFF (or a fan-out child's two pages of it) holds one decoded page at a time.
  const images: { bytes: Uint8Array; first: number; pageCount: number; density: number | undefined }[] = [];
  const timings: OcrStageTimings = { prepare: 0, grid: 0, recognise: 0 };
  let total = 0;
  for (const bytes of parts) {
    const opened = await openImage(bytes);
    if (opened.status === 'failed') return { pageCount: 0, pages: [], tables: [], problems: [opened.problem], timings };
    images.push({ bytes, first: total + 1, pageCount: opened.pageCount, density: opened.density });
    total += opened.pageCount;
  }
  const maxPages = opts.limits?.maxPages ?? Number.MAX_SAFE_INTEGER;
  if (total > maxPages) {
    return {
      pageCount: total,
      pages: [],
      tables: [],
      problems: [{ code: 'TOO_LARGE', message: `${total} pages exceed the limit of ${maxPages}`, stage: 'intake' }],
      timings,
    };
  }
  const pages: Page[] = [];
  const tables: Table[] = [];
  const problems: Problem[] = [];
  const from = Math.max(1, opts.range?.from ?? 1);
  const to = Math.min(total, opts.range?.to ?? total);
  const started = performance.now();
  const documentMs = opts.limits?.documentTimeoutMs ?? Number.POSITIVE_INFINITY;
  for (let n = from; n <= to; n++) {
    const left = documentMs - (performance.now() - started);
    if (opts.signal?.aborted || left <= 0) {
      const why = opts.signal?.aborted
        ? 'extraction was cancelled'
        : `the document deadline of ${documentMs} ms passed`;
      const pages = n === to ? `page ${n}` : `pages ${n}–${to}`;
      problems.push({ code: 'TIMEOUT', message: `${why}; ${pages} not read`, stage: 'ocr', page: n });
      break;
    }
    const deadline = Math.min(opts.pageTimeoutMs ?? Number.POSITIVE_INFINITY, left);
    const r = await ocrImagePage(images, n, engine, deadline, opts.signal);
    pages.push(r.page);
    tables.push(...r.tables);
    problems.push(...r.problems);
    timings.prepare += r.timings.prepare;
    timings.grid += r.timings.grid;
    timings.recognise += r.timings.recognise;
    opts.onPage?.(n);
  }
  return { pageCount: total, pages, tables, problems, timings };
}

/** Decodes page `n` of the images (1-based over all of them) and reads it; never throws. */
async function ocrImagePage(
  images: readonly { bytes: Uint8Array; first: number; pageCount: number; density: number | undefined }[],
  n: number,
  engine: OcrEngine,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<OcrSourceResult> {
  const image = images.find((i) => n >= i.first && n < i.first + i.pageCount);
  if (!image) return failed(n, { code: 'PAGE_FAILED', message: `page ${n} does not exist`, stage: 'ocr', page: n });
  let raster: Raster;
  try {
    raster = await decodePage(image.bytes, n - image.first, image.density);
  } catch (e) {
    return failed(n, {
      code: 'PAGE_FAILED',
      message: `image page ${n} undecodable: ${message(e)}`,
      stage: 'ocr',
      page: n,
    });
  }
  try {
    // At the deadline the page's recogniser calls still queued are dropped (engineUntil).
    const read = await withDeadline((until) => ocrPage(raster, n, engineUntil(engine, until)), timeoutMs, signal);
    if (read !== 'timeout') return read;
    return failed(n, {
      code: 'PAGE_TIMEOUT',
      message: `page ${n}: OCR was stopped after ${Math.round(timeoutMs)} ms`,
      stage: 'ocr',
      page: n,
    });
  } catch (e) {
    return failed(n, { code: 'OCR_FAILED', message: message(e), stage: 'ocr', page: n });
  }
}
