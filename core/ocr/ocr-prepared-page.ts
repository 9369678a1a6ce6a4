import type {
  Box,
  Page,
  PageOrientation,
  Problem,
  Rotation,
  Table,
  TextBlock,
  TextLayerVerdict,
  TextLine,
} from '../model/index.js';
import type { RasterTables } from '../raster/find-raster-tables.js';
import type { Raster } from '../raster/raster.js';
import type { PixelBox } from './gray-raster.js';
import type { OcrEngine, OcrParagraph } from './ocr-engine.js';
import { readProse } from './read-prose.js';
import { labelMemory } from './label-shapes.js';
import { lendable, readTable } from './read-table.js';
import { proseUprightScore } from './score-upright.js';

/** The verdict recorded on pages that had no text layer at all (images, image-only PDF pages). */
export const NO_TEXT_LAYER: TextLayerVerdict = { usable: false, reason: 'none', detail: 'page is an image' };

export interface OcrPageInput {
  /** Upright, deskewed gray page (D1's prepareScan output). */
  readonly raster: Raster;
  /** Clockwise rotation applied to make it upright. */
  readonly rotation: Rotation;
  /** The evidence behind the rotation (prepareScan's decision). */
  readonly orientation?: PageOrientation;
  /** Table skeletons and cell crops found on this raster (findRasterTables). */
  readonly found: RasterTables;
  /** Why the page is OCRed (for PDF pages whose text layer was judged unusable). */
  readonly textLayer?: TextLayerVerdict;
  /** The scan's coarser axis in lines an inch when its pixels were stretched from it (fax standard mode). */
  readonly lineDpi?: number;
  /**
   * The scan came from fax lines, fine or standard mode (Raster.faxLines; the prepared raster does not
   * keep it): its prose is read at the scan's resolution, its doubtful digits by the page's digit shapes.
   */
  readonly faxLines?: boolean;
}

export interface OcrPageResult {
  readonly page: Page;
  readonly tables: Table[];
  readonly problems: Problem[];
  /** Recogniser calls made for this page. */
  readonly calls: number;
  /** How surely the prose reads the right way up (proseUprightScore), null when it cannot say. */
  readonly uprightScore: number | null;
}

const toPt = (px: number, dpi: number): number => (px * 72) / dpi;

function boxToPt(b: PixelBox, dpi: number): Box {
  return { x0: toPt(b.x0, dpi), y0: toPt(b.y0, dpi), x1: toPt(b.x1, dpi), y1: toPt(b.y1, dpi) };
}

function toBlocks(paragraphs: readonly OcrParagraph[], dpi: number): TextBlock[] {
  return paragraphs.map((p) => {
    const lines: TextLine[] = p.lines.map((l) => ({
      box: boxToPt(l.box, dpi),
      text: l.text,
      origin: 'ocr',
      confidence: l.confidence,
    }));
    return {
      box: boxToPt(p.box, dpi),
      text: lines.map((l) => l.text).join('\n'),
      lines,
      origin: 'ocr',
      confidence: p.confidence,
    };
  });
}

/**
 * OCR one prepared page: prose by a full-page pass (PSM 3) with the tables painted out, each table
 * cell from its own crop (numbers digits-only, labels as Chinese text). Recogniser failures become
 * an OCR_FAILED problem on a page that keeps whatever was read.
 */
export async function ocrPreparedPage(
  input: OcrPageInput,
  pageNumber: number,
  engine: OcrEngine,
): Promise<OcrPageResult> {
  const { raster } = input;
  const before = engine.stats().calls;
  const problems: Problem[] = [];
  const coarse = input.lineDpi !== undefined;
  // One memory for the page's tables: 表四 prints its result headers under each of its columns' groups.
  // Not on fax pages: their labels are read as they were tuned (their ink varies more, for little gain).
  const fax = coarse || input.faxLines === true;
  const labels = fax ? undefined : labelMemory(lendable);
  const read = (t: Table, i: number): Promise<Table> =>
    readTable(raster, t, i, input.found.cellCrops, engine, {
      coarse,
      faxLines: input.faxLines === true,
      ...(labels ? { labels } : {}),
    });
  const asScanned = coarse || input.faxLines === true || input.found.raster !== undefined;
  const [prose, tables] = await Promise.all([
    readProse(raster, input.found.tables, engine, { asScanned }).catch((e: unknown) => {
      problems.push({
        code: 'OCR_FAILED',
        message: `page text: ${e instanceof Error ? e.message : String(e)}`,
        stage: 'ocr',
        page: pageNumber,
      });
      return null;
    }),
    Promise.all(input.found.tables.map(read)).catch((e: unknown) => {
      problems.push({
        code: 'OCR_FAILED',
        message: `table cells: ${e instanceof Error ? e.message : String(e)}`,
        stage: 'ocr',
        page: pageNumber,
      });
      return [] as Table[];
    }),
  ]);
  const blocks = prose ? toBlocks(prose.reading.paragraphs, prose.dpi) : [];
  const lines = blocks.flatMap((b) => b.lines);
  const confidences = [
    ...lines.map((l) => l.confidence),
    ...tables.flatMap((t) => t.cells.filter((c) => c.text !== '').map((c) => c.confidence)),
  ];
  const page: Page = {
    number: pageNumber,
    size: { width: toPt(raster.width, raster.dpi), height: toPt(raster.height, raster.dpi) },
    rotation: input.rotation,
    ...(input.orientation ? { orientation: input.orientation } : {}),
    method: 'ocr',
    textLayer: input.textLayer ?? NO_TEXT_LAYER,
    lines,
    blocks,
    text: lines.map((l) => l.text).join('\n'),
    ocrConfidence: confidences.length > 0 ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null,
    image: {
      width: raster.width,
      height: raster.height,
      dpi: raster.dpi,
      ...(coarse ? { lineDpi: input.lineDpi } : {}),
    },
    tableIds: tables.map((t) => t.id),
  };
  return {
    page,
    tables,
    problems,
    calls: engine.stats().calls - before,
    uprightScore: proseUprightScore(prose?.reading ?? null),
  };
}
