/**
 * The PDF page reader's thread (see page-reader.ts): holds one open document and answers requests
 * for a page's text layer or its pixels. It runs apart from the caller so that a page pdf.js cannot
 * finish (a content stream inflating to hundreds of MB) can be stopped by terminating the thread,
 * which also frees everything the page allocated.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { Problem } from '../model/index.js';
import type { ColourRaster } from '../raster/line-channel.js';
import { layoutRawPage } from './layout-pdf-page.js';
import { openPdf, type OpenedPdf } from './open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage, type PdfObjectIndex } from './page-image.js';
import { readPage } from './read-page.js';
import type { ReaderReply, ReaderRequest } from './page-reader-protocol.js';

let pdf: OpenedPdf | null = null;
let index: PdfObjectIndex | null = null;
let maxSidePt = Number.POSITIVE_INFINITY;

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** A box past the specification's 14,400 pt (or an empty one) is a trap: refused before anything is drawn. */
function oversized(view: readonly number[], n: number): Problem | null {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = view;
  const w = Math.abs(x1 - x0);
  const h = Math.abs(y1 - y0);
  if (Number.isFinite(w) && Number.isFinite(h) && w <= maxSidePt && h <= maxSidePt) return null;
  return {
    code: 'PAGE_TOO_LARGE',
    message: `page ${n} is ${Math.round(w)} × ${Math.round(h)} pt, past the limit of ${maxSidePt} pt a side`,
    stage: 'parse',
    page: n,
  };
}

async function handle(req: ReaderRequest): Promise<{ reply: ReaderReply; transfer?: ArrayBuffer[] }> {
  if (req.op === 'open') {
    await pdf?.destroy();
    pdf = null;
    index = null;
    maxSidePt = req.limits.maxPageSidePt;
    const opened = await openPdf(req.bytes, req.limits);
    if ('code' in opened) return { reply: { ok: false, problem: opened } };
    pdf = opened;
    return { reply: { ok: true, numPages: opened.numPages } };
  }
  if (req.op === 'close') {
    await pdf?.destroy();
    pdf = null;
    index = null;
    return { reply: { ok: true, closed: true, heapUsedBytes: getHeapStatistics().used_heap_size } };
  }
  if (!pdf) throw new Error('no document is open');
  const page = await pdf.getPage(req.page);
  try {
    const big = oversized(page.view, req.page);
    if (big) return { reply: { ok: false, problem: big } };
    if (req.op === 'text') {
      const laid = layoutRawPage(await readPage(page));
      return { reply: { ok: true, page: laid.page, tables: laid.tables } };
    }
    index ??= indexPdfObjects(await pdf.proxy.getData());
    const loaded = await loadPageRaster(index, page as unknown as ImagePage, req.page);
    if (loaded.status === 'failed') return { reply: { ok: false, problem: loaded.problem } };
    const raster: ColourRaster = loaded.raster;
    const buffers = [raster.data.buffer, ...(raster.darkest ? [raster.darkest.buffer] : [])];
    return {
      reply: { ok: true, raster, rotate: page.rotate },
      transfer: buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
    };
  } finally {
    page.cleanup(); // the page's operator lists and images are not needed again
  }
}

// pdf.js loads its (fake) worker code on the first open; loaded here, before the caller's deadlines start.
const PDFJS_WORKER = 'pdfjs-dist/legacy/build/pdf.worker.mjs'; // untyped module: imported by name
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = (await import(PDFJS_WORKER)) as unknown;
// pdf.js may reject promises nobody awaits on a damaged file; the awaited request reports the damage.
process.on('unhandledRejection', () => undefined);
parentPort?.postMessage({ ready: true });
parentPort?.on('message', (req: ReaderRequest) => {
  handle(req).then(
    ({ reply, transfer }) => parentPort?.postMessage(reply, transfer ?? []),
    (error: unknown) => parentPort?.postMessage({ ok: false, error: message(error) } satisfies ReaderReply),
  );
});
