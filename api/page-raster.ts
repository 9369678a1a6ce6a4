import { decodeImage } from '../core/intake/decode-image.js';
import { DEFAULT_LIMITS } from '../core/intake/limits.js';
import type { Rotation } from '../core/model/index.js';
import { openPdf } from '../core/pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../core/pdf/page-image.js';
import { renderPage } from '../core/pdf/render-page.js';
import { findRasterTables } from '../core/raster/find-raster-tables.js';
import { prepareScan } from '../core/raster/prepare-scan.js';
import { deskewRaster } from '../core/raster/deskew-raster.js';
import { contrastLut } from '../core/raster/normalize-contrast.js';
import { rotateRightAngle, type Raster } from '../core/raster/raster.js';
import { VIEW_DPI } from './cell-boxes.js';
import { renderWithPoppler } from './poppler-render.js';

/** What is stored of the page: how it was read and how it was turned upright. */
export interface StoredPage {
  readonly number: number;
  readonly method: string;
  readonly rotation: number;
  readonly image: {
    readonly width: number;
    readonly height: number;
    readonly dpi: number;
    /** Recorded at extraction (core Page.image): the deskew applied and whether the raster was rectified. */
    readonly deskewDeg?: number;
    readonly rectified?: boolean;
  } | null;
}

export type PageImageResult =
  | {
      readonly status: 'ok';
      readonly dpi: number;
      /** The page's pixels, one gray byte each, row-major: what crops are cut from (the PNG is the caller's). */
      readonly gray: Uint8Array;
      readonly width: number;
      readonly height: number;
    }
  | { readonly status: 'failed'; readonly code: string; readonly message: string };

const PDF_MAGIC = '%PDF';

/**
 * A page as the review page shows it, so the stored cell boxes line up: a born-digital page rendered
 * at VIEW_DPI by poppler (poppler-render.ts), or by the core's renderer where poppler is missing; a
 * scanned page as the OCR read it — the same raster (embedded image or render,
 * core/pdf/page-image.ts), made upright by the geometry recorded at extraction (asOcrRead) or else
 * prepared by the same core/raster/prepare-scan.ts (rotation, deskew) and, for a keystoned photo,
 * rectified by findRasterTables. The 0-vs-180 choice took OCR at extraction; it is not redone: the
 * stored page rotation says which candidate won.
 */
export async function renderReviewPage(bytes: Uint8Array, page: StoredPage): Promise<PageImageResult> {
  const isPdf = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes(PDF_MAGIC);
  let raster: Raster;
  if (isPdf && page.method !== 'ocr') {
    const rendered = await renderWithPoppler(bytes, page.number, VIEW_DPI);
    if (rendered)
      return { status: 'ok', dpi: rendered.dpi, gray: rendered.data, width: rendered.width, height: rendered.height };
  }
  if (isPdf) {
    const pdf = await openPdf(bytes, DEFAULT_LIMITS);
    if ('code' in pdf) return { status: 'failed', code: pdf.code, message: pdf.message };
    try {
      if (page.number < 1 || page.number > pdf.numPages)
        return { status: 'failed', code: 'NO_PAGE', message: `page ${page.number} of ${pdf.numPages}` };
      const proxy = await pdf.getPage(page.number);
      if (page.method === 'ocr') {
        const loaded = await loadPageRaster(indexPdfObjects(bytes), proxy as unknown as ImagePage, page.number);
        if (loaded.status === 'failed') return { status: 'failed', ...loaded.problem };
        const base = ((((Math.round(proxy.rotate / 90) * 90) % 360) + 360) % 360) as Rotation;
        raster = await asOcrRead(loaded.raster, page, base);
      } else {
        const rendered = await renderPage(proxy, VIEW_DPI, page.number);
        if (rendered.status === 'failed') return { status: 'failed', ...rendered.problem };
        raster = rendered.raster;
      }
    } finally {
      await pdf.destroy();
    }
  } else {
    const decoded = await decodeImage(bytes);
    if (decoded.status === 'failed') return { status: 'failed', ...decoded.problem };
    const source = decoded.pages[page.number - 1];
    if (!source)
      return { status: 'failed', code: 'NO_PAGE', message: `page ${page.number} of ${decoded.pages.length}` };
    raster = await asOcrRead(source, page, 0);
  }
  return { status: 'ok', dpi: raster.dpi, gray: raster.data, width: raster.width, height: raster.height };
}

/**
 * The raster the OCR read. With the geometry the extraction recorded (the page's turn and deskew
 * angle), that geometry is applied as prepareScan applied it — contrast stretch, the right-angle turn,
 * the deskew about the centre, then the half turn the upright scorer chose — with the same core
 * functions: 0.1 s of CPU instead of the whole preparation again (0.5–0.65 s on the dev phone photo).
 * A page recorded before (no geometry), a rectified one (a keystoned photo: its homography is not
 * recorded) or a result of another size is prepared again as at extraction.
 */
async function asOcrRead(raster: Raster, page: StoredPage, base: Rotation): Promise<Raster> {
  const wanted = ((((page.rotation - base) % 360) + 360) % 360) as Rotation;
  const stored = page.image;
  if (stored?.deskewDeg !== undefined && stored.rectified === false) {
    const first = wanted === 0 || wanted === 180 ? 0 : 90;
    const upright = deskewRaster(rotateRightAngle(raster, first), stored.deskewDeg, contrastLut(raster));
    const applied = wanted === first ? upright : rotateRightAngle(upright, 180);
    if (applied.width === stored.width && applied.height === stored.height) return applied;
  }
  return prepareAgain(raster, page, wanted);
}

/** The raster the OCR read: prepared as at extraction, the stored rotation deciding the upright candidate. */
async function prepareAgain(raster: Raster, page: StoredPage, wanted: Rotation): Promise<Raster> {
  // prepareScan scores the smaller turn (0 or 90) first, then its half-turn twin.
  let call = 0;
  const firstWins = wanted === 0 || wanted === 90;
  const prepared = await prepareScan(raster, {
    scoreUpright: async () => ((call++ === 0) === firstWins ? 1 : 0),
  });
  const stored = page.image;
  if (stored && stored.width === prepared.raster.width && stored.height === prepared.raster.height)
    return prepared.raster;
  // Sizes differ: the extraction read a rectified copy (a keystoned photo).
  return findRasterTables(prepared, page.number).raster ?? prepared.raster;
}
