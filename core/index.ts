/**
 * The extraction core's only door: bytes in, a typed Document out. Pure — no queue, no database.
 * `extractDocument` does everything in one call; `countPages` + `analyzePages` + `assembleDocument`
 * let a queue spread one long document over several workers and join the results.
 */
import { DEFAULT_LIMITS, type Limits } from './intake/limits.js';
import { analyzePages, type PagePartial, type PageRange } from './analyze-pages.js';
import { assembleDocument } from './assemble-document.js';
import type { Document } from './model/index.js';
import type { OcrEngine } from './ocr/ocr-engine.js';
import type { ExtractInput } from './pipeline-input.js';

export interface ExtractOptions {
  /** OCR for scans and pages whose text layer is unusable; null or absent: such pages are flagged, not read. */
  readonly ocr?: OcrEngine | null;
  readonly limits?: Partial<Limits>;
  readonly signal?: AbortSignal;
  /** Called after each page with the count done so far. */
  readonly onProgress?: (done: number, total: number | null) => void;
}

export async function extractDocument(input: ExtractInput, options: ExtractOptions = {}): Promise<Document> {
  const partial = await analyzeRange(input, undefined, options);
  return assembleDocument([partial]);
}

/** Reads one range of pages (for fan-out); `assembleDocument` joins the ranges. */
export async function analyzeRange(
  input: ExtractInput,
  range: PageRange | undefined,
  options: ExtractOptions = {},
): Promise<PagePartial> {
  let done = 0;
  return analyzePages(input, range, {
    ocr: options.ocr ?? null,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    ...(options.signal ? { signal: options.signal } : {}),
    onPage: () => options.onProgress?.(++done, null),
  });
}

export { assembleDocument } from './assemble-document.js';
export { countPages } from './count-pages.js';
export { toReportJson } from './export/to-report-json.js';
export { createOcrEngine } from './ocr/create-ocr-engine.js';
export { idleReaderHeaps } from './pdf/page-reader.js';
export type { OcrEngine } from './ocr/ocr-engine.js';
export type { PagePartial, PageRange } from './analyze-pages.js';
export type { ExtractInput, SourceMeta } from './pipeline-input.js';
export type { Limits } from './intake/limits.js';
export { DEFAULT_LIMITS, LIMIT_ENV, limitsFromEnv } from './intake/limits.js';
export { PIPELINE_VERSION } from './version.js';
export type * from './model/index.js';
