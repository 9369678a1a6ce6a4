import type { Page, Problem, Table } from '../model/index.js';
import { findAlignedTables } from '../tables/find-aligned-tables.js';
import { findRuledTables } from '../tables/find-ruled-tables.js';
import { buildLines, toTextLines } from '../text/build-lines.js';
import { groupBlocks } from '../text/group-blocks.js';
import { judgeTextLayer } from '../text/judge-text-layer.js';
import { errorName } from './error-name.js';
import type { OpenedPdf } from './open-pdf.js';
import type { RawPage } from './raw-page.js';
import { readPage } from './read-page.js';

export interface PdfPageLayout {
  readonly page: Page;
  readonly tables: readonly Table[];
  readonly raw: { readonly imageCoverage: number };
}

/** Ruled tables, then aligned ones in the text outside them; ids `p<page>-t<k>` top to bottom. */
function findTables(raw: RawPage): Table[] {
  const ruled = findRuledTables({ page: raw.number, segments: raw.segments, glyphs: raw.glyphs, fills: raw.fills });
  const aligned = findAlignedTables(
    raw.glyphs,
    ruled.map((t) => t.box),
    raw.number,
  );
  return [...ruled, ...aligned]
    .sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0)
    .map((t, i) => ({ ...t, id: `p${raw.number}-t${i + 1}` }));
}

/** Lays out a page already read: text lines, blocks, verdict and ruled tables. Pure and synchronous. */
export function layoutRawPage(raw: RawPage): PdfPageLayout {
  const textLayer = judgeTextLayer(raw);
  const usable = textLayer.usable;
  const upright = usable ? raw.glyphs : [];
  const lines = toTextLines(buildLines(upright.filter((g) => g.dir === 0)));
  const blocks = groupBlocks(lines);
  const tables = usable ? findTables(raw) : [];
  const page: Page = {
    number: raw.number,
    size: raw.size,
    rotation: raw.rotation,
    method: usable ? 'text-layer' : 'ocr',
    textLayer,
    lines,
    blocks,
    text: blocks.map((b) => b.lines.map((l) => l.text).join('\n')).join('\n'),
    ocrConfidence: null,
    image: null,
    tableIds: tables.map((t) => t.id),
  };
  return { page, tables, raw: { imageCoverage: raw.imageCoverage } };
}

/**
 * Reads and lays out one page of an open PDF. Never throws for bad content: a page pdf.js cannot parse
 * (with `stopAtErrors`, damaged content streams fail here) becomes a `PAGE_FAILED` Problem for that page.
 * When the text layer is unusable the page comes back with method 'ocr', its verdict, no lines and no
 * tables: the caller sends it to the OCR path. With `timeoutMs` (e.g. `limits.pageTimeoutMs`) a page that
 * takes longer becomes a `TIMEOUT` Problem (pdf.js cannot be interrupted; its late result is dropped).
 */
export async function layoutPdfPage(
  pdf: OpenedPdf,
  pageNumber: number,
  options: { readonly timeoutMs?: number } = {},
): Promise<PdfPageLayout | Problem> {
  let raw: RawPage;
  let timer: NodeJS.Timeout | undefined;
  try {
    // free the page's parsed resources once read: long documents would otherwise keep every operator list
    const reading = pdf.getPage(pageNumber).then(async (page) => {
      try {
        return await readPage(page);
      } finally {
        page.cleanup();
      }
    });
    const limit = options.timeoutMs;
    const outcome =
      limit === undefined
        ? await reading
        : await Promise.race([
            reading,
            new Promise<'timeout'>((resolve) => {
              timer = setTimeout(() => resolve('timeout'), limit);
            }),
          ]);
    if (outcome === 'timeout') {
      reading.catch(() => undefined); // the abandoned read may still fail later; nobody waits for it
      return {
        code: 'TIMEOUT',
        message: `page ${pageNumber} took longer than ${limit} ms to read`,
        stage: 'layout',
        page: pageNumber,
      };
    }
    raw = outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      code: 'PAGE_FAILED',
      message: `page ${pageNumber} cannot be read (${errorName(error)}: ${message})`,
      stage: 'layout',
      page: pageNumber,
    };
  } finally {
    clearTimeout(timer);
  }
  return layoutRawPage(raw);
}
