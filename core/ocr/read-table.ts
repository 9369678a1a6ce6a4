import type { Box, Cell, Table } from '../model/index.js';
import type { Raster } from '../raster/raster.js';
import type { RasterGrid } from './find-raster-grids.js';
import type { PixelBox } from './gray-raster.js';
import type { OcrEngine } from './ocr-engine.js';
import { readCell } from './read-cell.js';

/** A grid found on a raster says little about its own correctness; the mapper's checks judge it. */
const RASTER_GRID_CONFIDENCE = 0.9;
/** A label cell this many text rows tall and narrower than this many points is set vertically. */
const VERTICAL_MIN_ROWS = 3;
const VERTICAL_MAX_WIDTH_PT = 24;

/** Points → raster pixels. */
export function boxToPx(b: Box, dpi: number): PixelBox {
  const k = dpi / 72;
  return { x0: b.x0 * k, y0: b.y0 * k, x1: b.x1 * k, y1: b.y1 * k };
}

/** Read every cell of one raster grid (cells run concurrently; the engine's pool queues them). */
export async function readTable(raster: Raster, g: RasterGrid, id: string, pageNumber: number, engine: OcrEngine): Promise<Table> {
  const cells: Cell[] = await Promise.all(
    g.cells.map(async (frame): Promise<Cell> => {
      const r = await readCell(raster, boxToPx(frame.box, raster.dpi), raster.dpi, engine);
      const vertical = r.kind === 'label' && r.rows >= VERTICAL_MIN_ROWS && frame.box.x1 - frame.box.x0 < VERTICAL_MAX_WIDTH_PT;
      return {
        row: frame.row,
        col: frame.col,
        rowSpan: frame.rowSpan,
        colSpan: frame.colSpan,
        page: pageNumber,
        box: frame.box,
        text: r.text,
        origin: 'ocr',
        confidence: r.confidence,
        shaded: false,
        vertical,
        ...(r.alternatives.length > 0 ? { alternatives: r.alternatives } : {}),
      };
    }),
  );
  return {
    id,
    pages: [pageNumber],
    rows: g.grid.rowAnchors.length - 1,
    cols: g.grid.colAnchors.length - 1,
    cells,
    detection: 'raster',
    confidence: RASTER_GRID_CONFIDENCE,
    box: g.grid.box,
  };
}

