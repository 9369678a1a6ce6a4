import type { Models } from '../models/index.js';
import type { CellBoxes } from './review-routes.js';

/** Born-digital pages are rendered for the review page at this resolution (digits legible in a crop). */
export const VIEW_DPI = 150;

type Box = { x0: number; y0: number; x1: number; y1: number };

/**
 * Names one extraction of a document (when it was saved: every pass writes its pages, tables and
 * report before it sets finishedAt): the same tag, the same boxes and page images. The view carries
 * it and the page puts it in crop URLs, so a crop URL names its content (image-routes.ts).
 */
export function extractionTag(finishedAt: Date | null | undefined): string {
  return (finishedAt?.getTime() ?? 0).toString(36);
}

/**
 * The resolution of a page's review image: an OCR page is shown as the raster the OCR read (its dpi
 * is stored with the page), any other page is rendered at VIEW_DPI. Table boxes are in points
 * (pt = px · 72 / dpi on OCR pages), so one factor maps them onto the image.
 */
export function imageDpi(page: { method?: string; image?: { dpi: number } | null } | undefined): number {
  return page?.method === 'ocr' && page.image ? page.image.dpi : VIEW_DPI;
}

export function toImageBox(box: Box, dpi: number): Box {
  const k = dpi / 72;
  return {
    x0: Math.round(box.x0 * k),
    y0: Math.round(box.y0 * k),
    x1: Math.round(box.x1 * k),
    y1: Math.round(box.y1 * k),
  };
}

/** Documents whose boxes are kept in memory (a reviewer goes back and forth between a few). */
const CACHED_DOCUMENTS = 200;

/**
 * Cell boxes of a document in the pixels of its page images (one read of its tables and pages),
 * kept per document while `stamp` (its extraction) is the same.
 */
export function cellBoxes(models: Models): CellBoxes {
  const cache = new Map<string, { stamp: string; lookup: Promise<BoxOf> }>();
  return (sha256, stamp) => {
    const hit = cache.get(sha256);
    if (hit && hit.stamp === stamp) return hit.lookup;
    if (cache.size >= CACHED_DOCUMENTS) cache.delete(cache.keys().next().value as string);
    const lookup = readBoxes(models, sha256);
    cache.set(sha256, { stamp, lookup });
    lookup.catch(() => cache.delete(sha256));
    return lookup;
  };
}

type BoxOf = Awaited<ReturnType<CellBoxes>>;

async function readBoxes(models: Models, sha256: string): Promise<BoxOf> {
  {
    const [tables, pages] = await Promise.all([
      models.Table.find({ sha256 }, { _id: 0, tableId: 1, cells: 1 }).lean(),
      models.Page.find({ sha256 }, { _id: 0, number: 1, method: 1, image: 1 }).lean(),
    ]);
    const byTable = new Map(tables.map((t) => [t.tableId, t.cells]));
    const byPage = new Map(pages.map((p) => [p.number, p]));
    return (source) => {
      const cell = byTable.get(source.tableId)?.find((c) => c.row === source.row && c.col === source.col);
      if (!cell?.box) return null;
      return toImageBox(cell.box, imageDpi(byPage.get(source.page) as Parameters<typeof imageDpi>[0]));
    };
  }
}
