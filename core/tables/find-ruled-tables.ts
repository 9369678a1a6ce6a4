import type { Segment, Table } from '../model/index.js';
import type { FilledRect, Glyph } from '../pdf/raw-page.js';
import { buildCells } from './build-cells.js';
import { fillCells } from './fill-cells.js';
import { findGrids } from './find-grids.js';
import type { Grid } from './grid.js';
import { sidewaysDirection, turnFor, type Turn } from './turn-sideways.js';

/** Ruled grids are trusted: the rules fix the cells, only text placement can go wrong. */
const RULED_CONFIDENCE = 0.95;

export interface RuledInput {
  readonly page: number;
  readonly segments: readonly Segment[];
  readonly glyphs: readonly Glyph[];
  readonly fills: readonly FilledRect[];
}

function tableOf(grid: Grid, input: RuledInput, turn: Turn | null): Table | null {
  const frames = buildCells(grid);
  const cells = fillCells({
    grid,
    frames,
    glyphs: turn ? input.glyphs.map(turn.glyph) : input.glyphs,
    fills: turn ? input.fills.map(turn.fill) : input.fills,
    page: input.page,
    origin: 'text-layer',
    confidence: 1,
  });
  // a grid with no text is a frame or decoration; a single boxed cell is kept (a row cut off by a page break)
  if (cells.every((c) => c.text === '')) return null;
  return {
    id: '',
    pages: [input.page],
    rows: grid.rowAnchors.length - 1,
    cols: grid.colAnchors.length - 1,
    // cells of a turned table keep their boxes on the page
    cells: turn ? cells.map((c) => ({ ...c, box: turn.unbox(c.box) })) : cells,
    detection: 'ruled',
    confidence: RULED_CONFIDENCE,
    box: turn ? turn.unbox(grid.box) : grid.box,
  };
}

/**
 * Ruled tables of one page, top to bottom, with ids `p<page>-t<k>` starting at `firstIndex`.
 * A table whose text runs up or down the page (set sideways among upright text) is read in a frame turned
 * a quarter so its rows read normally; its boxes stay on the page.
 */
export function findRuledTables(input: RuledInput, firstIndex = 1): Table[] {
  const tables: Table[] = [];
  for (const grid of findGrids(input.segments)) {
    const dir = sidewaysDirection(input.glyphs, grid.box);
    let table: Table | null;
    if (dir === 90 || dir === 270) {
      const turn = turnFor(grid.box, dir);
      const [turned] = findGrids([...grid.hLines, ...grid.vLines].map(turn.segment));
      table = turned ? tableOf(turned, input, turn) : null;
    } else table = tableOf(grid, input, null);
    if (table) tables.push({ ...table, id: `p${input.page}-t${firstIndex + tables.length}` });
  }
  return tables;
}
