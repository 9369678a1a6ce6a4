import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Rotation } from '../model/index.js';
import { toMatrix } from './matrix.js';
import type { RawPage } from './raw-page.js';
import { readGlyphs, countDirections, type TextItemLike } from './read-glyphs.js';
import { readGraphics, type OperatorListLike } from './read-graphics.js';

/** A page is turned when more than this share of its characters run in one non-upright direction. */
const SIDEWAYS_SHARE = 0.6;

function isTextItem(item: unknown): item is TextItemLike {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

/** Extra clockwise turn that makes the dominant text direction read left to right. */
function uprightTurn(counts: Record<Rotation, number>): Rotation {
  const total = counts[0] + counts[90] + counts[180] + counts[270];
  if (total === 0) return 0;
  for (const dir of [90, 180, 270] as const) {
    if (counts[dir] / total > SIDEWAYS_SHARE) return ((360 - dir) % 360) as Rotation;
  }
  return 0;
}

/**
 * Reads one PDF page: glyph runs, ruling lines, shaded rectangles, image coverage and text-visibility counts,
 * all on the upright page (after /Rotate and after turning a page whose text runs sideways, such as a
 * table set at 90° on a portrait sheet).
 */
export async function readPage(page: PDFPageProxy): Promise<RawPage> {
  const [content, ops] = await Promise.all([page.getTextContent(), page.getOperatorList()]);
  const items: TextItemLike[] = [];
  for (const item of content.items) if (isTextItem(item)) items.push(item);
  const pageRotate = ((((page.rotate ?? 0) % 360) + 360) % 360) as Rotation;
  const first = page.getViewport({ scale: 1, rotation: pageRotate });
  const turn = uprightTurn(countDirections(items, toMatrix(first.transform)));
  const rotation = ((pageRotate + turn) % 360) as Rotation;
  const viewport = turn === 0 ? first : page.getViewport({ scale: 1, rotation });
  const base = toMatrix(viewport.transform);
  const size = { width: viewport.width, height: viewport.height };
  const graphics = readGraphics(ops as OperatorListLike, base, size);
  return {
    number: page.pageNumber,
    size,
    rotation,
    glyphs: readGlyphs(items, base),
    segments: graphics.segments,
    fills: graphics.fills,
    imageCoverage: graphics.imageCoverage,
    textStats: graphics.textStats,
  };
}
