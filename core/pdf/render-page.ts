import { createCanvas } from '@napi-rs/canvas';
import type { Problem } from '../model/index.js';
import { toGray, type Raster } from '../raster/raster.js';

/** Resolution for OCR: tesseract's digit accuracy drops below ≈ 250 dpi on 10.5-pt table text. */
export const OCR_RENDER_DPI = 300;
/** Cap on rendered pixels (≈ A3 at 300 dpi): a huge MediaBox must not exhaust memory. */
export const MAX_RENDER_PIXELS = 5000 * 7000;

/** What render-page needs from a pdf.js page (PDFPageProxy satisfies it). */
export interface RenderablePage {
  getViewport(params: { scale: number }): { width: number; height: number };
  render(params: { canvasContext?: unknown; canvas: unknown; viewport: { width: number; height: number } }): {
    promise: Promise<unknown>;
  };
}

export type RenderedPage =
  { readonly status: 'ok'; readonly raster: Raster } | { readonly status: 'failed'; readonly problem: Problem };

/**
 * Rasterises a pdf.js page (legacy build) at `dpi` onto an @napi-rs/canvas and returns raw gray
 * pixels (red channel, so red stamps fade) — no PNG encoding. The dpi is lowered when the page
 * would exceed MAX_RENDER_PIXELS; the returned raster carries the dpi actually used.
 */
export async function renderPage(page: RenderablePage, dpi: number, pageNumber: number): Promise<RenderedPage> {
  try {
    const unit = page.getViewport({ scale: 1 });
    let scale = dpi / 72;
    const pixels = unit.width * unit.height * scale * scale;
    if (pixels > MAX_RENDER_PIXELS) scale *= Math.sqrt(MAX_RENDER_PIXELS / pixels);
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.round(viewport.width));
    const height = Math.max(1, Math.round(viewport.height));
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    await page.render({ canvasContext: ctx, viewport, canvas }).promise;
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const data = toGray(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length), width, height, 4);
    return { status: 'ok', raster: { width, height, data, dpi: scale * 72 } };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      status: 'failed',
      problem: { code: 'PAGE_FAILED', message: `render failed: ${message}`, stage: 'ocr', page: pageNumber },
    };
  }
}
