import type { Document, Problem } from '../core/model/index.js';
import type { ExtractInput, ExtractOptions, OcrEngine, PagePartial, PageRange } from '../core/index.js';

/** The part of the core a worker uses; a module exporting these can replace the core (tests count calls, benches time the queue alone). */
export interface Extractor {
  readonly PIPELINE_VERSION: string;
  extractDocument(input: ExtractInput, options?: ExtractOptions): Promise<Document>;
  analyzeRange(input: ExtractInput, range: PageRange | undefined, options?: ExtractOptions): Promise<PagePartial>;
  assembleDocument(partials: readonly PagePartial[]): Document;
  countPages(input: ExtractInput): Promise<number | Problem>;
  createOcrEngine(opts?: {
    workers?: number;
    tessdata?: string | undefined;
    onMessage?: ((message: string) => void) | undefined;
  }): Promise<OcrEngine>;
  /** The idle PDF reader threads' heaps in bytes (memory diagnostics; optional for replacement cores). */
  idleReaderHeaps?(): number[];
}

/** Module path of the extractor: DOCQ_EXTRACTOR_MODULE (absolute path or URL) or the real core. */
export function extractorModule(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['DOCQ_EXTRACTOR_MODULE'];
  if (fromEnv !== undefined && fromEnv !== '')
    return fromEnv.startsWith('/') ? new URL(`file://${fromEnv}`).href : fromEnv;
  return new URL(import.meta.url.endsWith('.ts') ? '../core/index.ts' : '../core/index.js', import.meta.url).href;
}

export async function loadExtractor(env: NodeJS.ProcessEnv = process.env): Promise<Extractor> {
  return (await import(extractorModule(env))) as Extractor;
}
