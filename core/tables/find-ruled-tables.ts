import type { Segment, Table } from '../model/index.js';
import type { FilledRect, Glyph } from '../pdf/raw-page.js';
import { buildCells } from './build-cells.js';
import { fillCells } from './fill-cells.js';
import { findGrids } from './find-grids.js';

/** Ruled grids are trusted: the rules fix the cells, only text placement can go wrong. */
const RULED_CONFIDENCE = 0.95;

export interface RuledInput {
  readonly page: number;
  readonly segments: readonly Segment[];
  readonly glyphs: readonly Glyph[];
  readonly fills: readonly FilledRect[];
}

/** Ruled tables of one page, top to bottom, with ids `p<page>-t<k>` starting at `firstIndex`. */
export function findRuledTables(input: RuledInput, firstIndex = 1): Table[] {
  const tables: Table[] = [];
  for (const grid of findGrids(input.segments)) {
    const frames = buildCells(grid);
    const cells = fillCells({
      grid,
      frames,
      glyphs: input.glyphs,
      fills: input.fills,
      page: input.page,
      origin: 'text-layer',
      confidence: 1,
    });
    // a grid with no text is a frame or decoration; a single boxed cell is kept (a row cut off by a page break)
    if (cells.every((c) => c.text === '')) continue;
    tables.push({
      id: `p${input.page}-t${firstIndex + tables.length}`,
      pages: [input.page],
      rows: grid.rowAnchors.length - 1,
      cols: grid.colAnchors.length - 1,
      cells,
      detection: 'ruled',
      confidence: RULED_CONFIDENCE,
      box: grid.box,
    });
  }
  return tables;
}
