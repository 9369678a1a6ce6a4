import { createHash } from 'node:crypto';
import type { Limits } from './intake/limits.js';
import { isProblem } from './intake/is-problem.js';
import { sniff } from './intake/sniff.js';
import type { Page, Problem, Rotation, SourceKind, Stage, Table } from './model/index.js';
import type { OcrEngine } from './ocr/ocr-engine.js';
import { openPageReader, type PageReader } from './pdf/page-reader.js';
import { engineUntil } from './ocr/engine-until.js';
import { ocrPage, ocrImagePages } from './ocr/ocr-page.js';
import type { ExtractInput, SourceMeta } from './pipeline-input.js';
import { failedPage } from './failed-page.js';
import { withDeadline } from './with-deadline.js';

/** Per-page results for a range of pages: JSON-safe, so a queue can fan pages out and gather them again. */
export interface PagePartial {
  readonly meta: SourceMeta;
  readonly pageCount: number;
  readonly pages: readonly Page[];
  /** Tables per page, not yet stitched across pages. */
  readonly tables: readonly Table[];
  readonly problems: readonly Problem[];
  readonly timings: Partial<Record<Stage, number>>;
}

export interface AnalyzeOptions {
  readonly ocr: OcrEngine | null;
  readonly limits: Limits;
  readonly signal?: AbortSignal;
  readonly onPage?: (pageNumber: number) => void;
}

/** 1-based inclusive page range; `to` past the end is clipped. */
export interface PageRange {
  readonly from: number;
  readonly to: number;
}

const ALL_PAGES: PageRange = { from: 1, to: Number.MAX_SAFE_INTEGER };

function describeInput(input: ExtractInput): { sha256: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  for (const part of 'bytes' in input ? [input.bytes] : input.images.map((i) => i.bytes)) {
    hash.update(part);
    size += part.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Reads pages `range` of the input: the text layer where usable, OCR where not (or for images). */
export async function analyzePages(
  input: ExtractInput,
  range: PageRange = ALL_PAGES,
  options: AnalyzeOptions,
): Promise<PagePartial> {
  const { sha256, size } = describeInput(input);
  const parts = 'bytes' in input ? [input.bytes] : input.images.map((i) => i.bytes);
  const sniffed = parts.map((b) => sniff(b, options.limits));
  const firstBad = sniffed.find(isProblem);
  const first = sniffed[0];
  const meta: SourceMeta = {
    sha256,
    size,
    kind: first && !isProblem(first) ? first.kind : null,
    mime: first && !isProblem(first) ? first.mime : null,
  };
  const empty = (problem: Problem): PagePartial => ({
    meta,
    pageCount: 0,
    pages: [],
    tables: [],
    problems: [problem],
    timings: {},
  });
  if (parts.length === 0) return empty({ code: 'EMPTY', message: 'no page images were given', stage: 'intake' });
  if (firstBad) return empty(firstBad);
  if ('images' in input && sniffed.some((s) => !isProblem(s) && s.kind === 'pdf')) {
    return empty({
      code: 'UNSUPPORTED_TYPE',
      message: 'a PDF cannot be one of the page images of a document',
      stage: 'intake',
    });
  }
  const partial =
    meta.kind === 'pdf' && 'bytes' in input
      ? await analyzePdf(input.bytes, meta, range, options)
      : await analyzeImages(parts, meta, range, options);
  const mismatch = 'bytes' in input && meta.kind ? typeMismatch(input.name, meta.kind) : null;
  return mismatch && range.from <= 1 ? { ...partial, problems: [mismatch, ...partial.problems] } : partial;
}

const EXTENSION_KINDS: Readonly<Record<string, SourceKind>> = {
  pdf: 'pdf',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  png: 'png',
  tif: 'tiff',
  tiff: 'tiff',
};

/** A name whose extension says another type than the bytes (a PNG saved as .pdf): read by content, but recorded. */
function typeMismatch(name: string | undefined, kind: SourceKind): Problem | null {
  const ext = name?.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase();
  const claimed = ext ? EXTENSION_KINDS[ext] : undefined;
  if (!claimed || claimed === kind) return null;
  return {
    code: 'TYPE_MISMATCH',
    message: `the name says ${claimed} but the bytes are ${kind}; read as ${kind}`,
    stage: 'intake',
  };
}

async function analyzePdf(
  bytes: Uint8Array,
  meta: SourceMeta,
  range: PageRange,
  options: AnalyzeOptions,
): Promise<PagePartial> {
  const { limits } = options;
  const timings: Partial<Record<Stage, number>> = {};
  const started = performance.now();
  const reader = openPageReader(bytes, limits);
  try {
    const opened = await reader.open();
    timings.open = performance.now() - started;
    if (opened.kind !== 'ok') return { meta, pageCount: 0, pages: [], tables: [], problems: [opened.problem], timings };
    const numPages = opened.value;
    const pages: Page[] = [];
    const tables: Table[] = [];
    const problems: Problem[] = [];
    const last = Math.min(range.to, numPages);
    for (let n = Math.max(1, range.from); n <= last; n++) {
      const left = limits.documentTimeoutMs - (performance.now() - started);
      if (options.signal?.aborted || left <= 0) {
        problems.push(stopped(n, last, options.signal?.aborted === true, limits.documentTimeoutMs));
        break;
      }
      const result = await readPdfPage(reader, n, { ...options, msLeft: left }, timings);
      pages.push(result.page);
      tables.push(...result.tables);
      problems.push(...result.problems);
      options.onPage?.(n);
    }
    return { meta, pageCount: numPages, pages, tables, problems, timings };
  } finally {
    await reader.close();
  }
}

/** The TIMEOUT problem of a range whose pages from `n` on were not read. */
function stopped(n: number, last: number, cancelled: boolean, documentTimeoutMs: number): Problem {
  const pages = n === last ? `page ${n}` : `pages ${n}–${last}`;
  const why = cancelled ? 'extraction was cancelled' : `the document deadline of ${documentTimeoutMs} ms passed`;
  return { code: 'TIMEOUT', message: `${why}; ${pages} not read`, stage: 'layout', page: n };
}

type PageRead = { page: Page; tables: readonly Table[]; problems: readonly Problem[] };

function failedRead(n: number, problem: Problem): PageRead {
  return { page: failedPage(n), tables: [], problems: [problem] };
}

async function readPdfPage(
  reader: PageReader,
  n: number,
  options: AnalyzeOptions & { readonly msLeft: number },
  timings: Partial<Record<Stage, number>>,
): Promise<PageRead> {
  const { limits } = options;
  const t0 = performance.now();
  const laid = await reader.text(n, Math.min(limits.pageTimeoutMs, options.msLeft));
  addTiming(timings, 'parse', t0);
  // A damaged content stream (pdf.js with stopAtErrors), a trap, a page past its deadline: that page fails, the others go on.
  if (laid.kind !== 'ok') return failedRead(n, laid.problem);
  const { page } = laid.value;
  if (page.textLayer.usable) return { page, tables: laid.value.tables, problems: [] };
  const verdict = page.textLayer;
  if (!options.ocr) {
    const message = `page ${n}: text layer unusable (${verdict.reason}) and OCR is off`;
    return { page, tables: [], problems: [{ code: 'OCR_UNAVAILABLE', message, stage: 'ocr', page: n }] };
  }
  const t2 = performance.now();
  try {
    const deadline = Math.min(limits.ocrPageTimeoutMs, options.msLeft - (t2 - t0));
    const pixels = await reader.raster(n, deadline);
    if (pixels.kind !== 'ok') return failedRead(n, pixels.problem);
    const rotate = (((Math.round(pixels.value.rotate / 90) * 90) % 360) + 360) % 360;
    const ocr = options.ocr;
    // At the deadline the page's recogniser calls still queued are dropped (engineUntil).
    const outcome = await withDeadline(
      (signal) => ocrPage(pixels.value.raster, n, engineUntil(ocr, signal), verdict, rotate as Rotation),
      deadline - (performance.now() - t2),
      options.signal,
    );
    if (outcome === 'timeout') {
      const message = `page ${n}: OCR was stopped after ${Math.round(deadline)} ms`;
      return failedRead(n, { code: 'PAGE_TIMEOUT', message, stage: 'ocr', page: n });
    }
    return outcome;
  } catch (error) {
    const message = `page ${n}: OCR failed (${error instanceof Error ? error.message : String(error)})`;
    return failedRead(n, { code: 'OCR_FAILED', message, stage: 'ocr', page: n });
  } finally {
    addTiming(timings, 'ocr', t2);
  }
}

async function analyzeImages(
  parts: readonly Uint8Array[],
  meta: SourceMeta,
  range: PageRange,
  options: AnalyzeOptions,
): Promise<PagePartial> {
  const timings: Partial<Record<Stage, number>> = {};
  if (!options.ocr) {
    return {
      meta,
      pageCount: 0,
      pages: [],
      tables: [],
      problems: [{ code: 'OCR_UNAVAILABLE', message: 'image input needs OCR, which is off', stage: 'ocr' }],
      timings,
    };
  }
  const t0 = performance.now();
  const result = await ocrImagePages(parts, options.ocr, {
    range,
    limits: options.limits,
    pageTimeoutMs: options.limits.ocrPageTimeoutMs,
    onPage: options.onPage,
    signal: options.signal,
  });
  addTiming(timings, 'ocr', t0);
  return {
    meta,
    pageCount: result.pageCount,
    pages: result.pages,
    tables: result.tables,
    problems: result.problems,
    timings,
  };
}

function addTiming(timings: Partial<Record<Stage, number>>, stage: Stage, since: number): void {
  timings[stage] = (timings[stage] ?? 0) + (performance.now() - since);
}
