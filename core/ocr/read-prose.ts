import type { Box, Table } from '../model/index.js';
import type { Raster } from '../raster/raster.js';
import { cropRaster, scaleRaster } from './crop-raster.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';
import type { OcrEngine, PageReading } from './ocr-engine.js';

/** Table areas are painted white before the prose pass, with this margin (points) for rule blur. */
const MASK_MARGIN_PT = 2;
/**
 * The prose pass reads pages scanned finer than PROSE_MAX_DPI at PROSE_DPI: on the 28 quick dev
 * pages (300 and 208 dpi) it cost 29 % less CPU (tesseract's layout analysis and line images follow
 * the pixels), with fewer character errors (prose CER 2.37 → 2.12 %). Faxes (thin strokes broken at
 * the machine's threshold) and rectified photos are read as they are.
 */
const PROSE_MAX_DPI = 180;
const PROSE_DPI = 150;
/**
 * A reduced reading whose lines of Chinese are lower than this (median, pixels) is read again as
 * scanned: the declared dpi overstated the text (an image file without a density, 300 assumed).
 * Body text of 10.5–12 pt is 22–25 px at 150 dpi; 16 px is 7.7 pt.
 */
const MIN_LINE_PX = 16;
/** So is one that read lines but none with a Chinese character in it (no heading, no prose, only marks). */
const HAN = /\p{Script=Han}/u;

/** Gray levels below this are ink on the contrast-normalised page. */
const INK_BELOW = 128;
/** A row or column of the painted page with fewer ink pixels than this is paper (a speck, not text). */
const MIN_INK_PX = 3;
/** Paper kept round the prose's ink (points), as a page margin is. */
const CROP_MARGIN_PT = 12;

/** The prose of a page and the resolution its boxes are in. */
export interface ProseReading {
  readonly reading: PageReading;
  readonly dpi: number;
}

export interface ProseOptions {
  /** Read at the scan's resolution (fax pages, rectified photos). */
  readonly asScanned?: boolean;
}

function boxToPx(b: Box, dpi: number): PixelBox {
  const k = dpi / 72;
  return { x0: b.x0 * k, y0: b.y0 * k, x1: b.x1 * k, y1: b.y1 * k };
}

function maskTables(raster: Raster, tables: readonly Table[]): Raster {
  if (tables.length === 0) return raster;
  const data = new Uint8Array(raster.data);
  const m = MASK_MARGIN_PT;
  for (const { box } of tables) {
    const b = boxToPx({ x0: box.x0 - m, y0: box.y0 - m, x1: box.x1 + m, y1: box.y1 + m }, raster.dpi);
    const x0 = Math.max(0, Math.floor(b.x0));
    const x1 = Math.min(raster.width, Math.ceil(b.x1));
    for (let y = Math.max(0, Math.floor(b.y0)); y < Math.min(raster.height, Math.ceil(b.y1)); y++) {
      data.fill(255, y * raster.width + x0, y * raster.width + x1);
    }
  }
  return { ...raster, data };
}

/** Share of the page's area outside its tables (overlaps are rare and counted twice). */
function proseShare(raster: Raster, tables: readonly Table[]): number {
  const pt = (px: number): number => (px * 72) / raster.dpi;
  const covered = tables.reduce((s, { box }) => s + (box.x1 - box.x0) * (box.y1 - box.y0), 0);
  return Math.max(0, 1 - covered / (pt(raster.width) * pt(raster.height)));
}

/**
 * The box of the painted page's ink with a margin, null when it has none: outside it is paper, and
 * tesseract's page analysis costs what the page's area costs (a 表三 page whose prose is its
 * heading: 0.5 → 0.2 CPU-s in tesseract.js when read from this box).
 */
export function proseInkBox(page: GrayRaster, dpi: number): PixelBox | null {
  const { width: w, height: h, data } = page;
  const rows = new Int32Array(h);
  const cols = new Int32Array(w);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (data[row + x]! < INK_BELOW) {
        rows[y]!++;
        cols[x]!++;
      }
    }
  }
  const first = (counts: Int32Array): number => counts.findIndex((n) => n >= MIN_INK_PX);
  const last = (counts: Int32Array): number => counts.findLastIndex((n) => n >= MIN_INK_PX);
  const [y0, x0] = [first(rows), first(cols)];
  if (y0 < 0 || x0 < 0) return null;
  const m = Math.round((CROP_MARGIN_PT * dpi) / 72);
  return {
    x0: Math.max(0, x0 - m),
    y0: Math.max(0, y0 - m),
    x1: Math.min(w, last(cols) + 1 + m),
    y1: Math.min(h, last(rows) + 1 + m),
  };
}

function shift(b: PixelBox, dx: number, dy: number): PixelBox {
  return { x0: b.x0 + dx, y0: b.y0 + dy, x1: b.x1 + dx, y1: b.y1 + dy };
}

/** A reading of a crop with its boxes in the page's pixels (the crop's top left at dx, dy). */
export function shiftReading(reading: PageReading, dx: number, dy: number): PageReading {
  return {
    ...reading,
    paragraphs: reading.paragraphs.map((p) => ({
      ...p,
      box: shift(p.box, dx, dy),
      lines: p.lines.map((l) => ({
        ...l,
        box: shift(l.box, dx, dy),
        words: l.words.map((wd) => ({ ...wd, box: shift(wd.box, dx, dy) })),
      })),
    })),
  };
}

/** Whether a reduced reading is legible: its lines of Chinese are tall enough, or it read no line at all (a blank page). */
function legible(reading: PageReading): boolean {
  const lines = reading.paragraphs.flatMap((p) => p.lines);
  if (lines.length === 0) return true;
  const heights = lines
    .filter((l) => HAN.test(l.text))
    .map((l) => l.box.y1 - l.box.y0)
    .sort((a, b) => a - b);
  return heights.length > 0 && heights[heights.length >> 1]! >= MIN_LINE_PX;
}

/**
 * The prose pass: the page with its tables painted out, read with full layout analysis from the
 * box of its ink (proseInkBox; fax pages and rectified photos whole); pages scanned finer than PROSE_MAX_DPI at PROSE_DPI, and again as
 * scanned when that reading is not legible.
 */
export async function readProse(
  raster: Raster,
  tables: readonly Table[],
  engine: OcrEngine,
  opts: ProseOptions = {},
): Promise<ProseReading> {
  const share = proseShare(raster, tables);
  // Fax pages and rectified photos are read whole, as they were tuned (their specks and shading reach the edges).
  const read = async (page: Raster): Promise<ProseReading> => {
    if (opts.asScanned === true)
      return { reading: await engine.readPage(page, page.dpi, { proseShare: share }), dpi: page.dpi };
    const box = proseInkBox(page, page.dpi);
    if (!box) return { reading: { paragraphs: [], confidence: null }, dpi: page.dpi };
    const reading = await engine.readPage(cropRaster(page, box), page.dpi, { proseShare: share });
    return { reading: shiftReading(reading, box.x0, box.y0), dpi: page.dpi };
  };
  if (opts.asScanned === true || raster.dpi <= PROSE_MAX_DPI) return read(maskTables(raster, tables));
  const reduced = await read(maskTables({ ...scaleRaster(raster, PROSE_DPI / raster.dpi), dpi: PROSE_DPI }, tables));
  return legible(reduced.reading) ? reduced : read(maskTables(raster, tables));
}
