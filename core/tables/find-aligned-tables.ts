import type { Box, Table } from '../model/index.js';
import type { Glyph } from '../pdf/raw-page.js';
import { buildLines, type LineOfGlyphs } from '../text/build-lines.js';
import { fillCells } from './fill-cells.js';
import type { CellFrame, Grid } from './grid.js';

/** Fewer columns than this is a list or a key–value pair, too weak to call a table without rules. */
const MIN_COLS = 3;
/** Fewer rows than this cannot show that columns line up. */
const MIN_ROWS = 3;
/** Share of rows that must fill all but one column; prose and lists fail this. */
const FULL_ROW_SHARE = 0.8;
/** Rows further apart than this many line heights end the table. */
const MAX_ROW_GAP = 2.5;
/** Tables found only from alignment are less certain than ruled ones. */
const ALIGNED_CONFIDENCE = 0.6;

interface Row {
  readonly box: Box;
  readonly parts: readonly LineOfGlyphs[];
}

function rowsOf(lines: readonly LineOfGlyphs[]): Row[] {
  const rows: Row[] = [];
  for (const line of lines) {
    const last = rows[rows.length - 1];
    const cy = (line.box.y0 + line.box.y1) / 2;
    if (last && cy > last.box.y0 && cy < last.box.y1) {
      rows[rows.length - 1] = {
        box: {
          x0: Math.min(last.box.x0, line.box.x0),
          y0: last.box.y0,
          x1: Math.max(last.box.x1, line.box.x1),
          y1: last.box.y1,
        },
        parts: [...last.parts, line],
      };
    } else rows.push({ box: line.box, parts: [line] });
  }
  return rows;
}

/** Column extents: the union of the parts' x-intervals; gaps in the union are the gutters. */
function columnsOf(rows: readonly Row[]): { x0: number; x1: number }[] {
  const spans = rows.flatMap((r) => r.parts.map((p) => ({ x0: p.box.x0, x1: p.box.x1 }))).sort((a, b) => a.x0 - b.x0);
  const cols: { x0: number; x1: number }[] = [];
  for (const s of spans) {
    const last = cols[cols.length - 1];
    if (last && s.x0 <= last.x1) last.x1 = Math.max(last.x1, s.x1);
    else cols.push({ ...s });
  }
  return cols;
}

function tableFrom(rows: readonly Row[], glyphs: readonly Glyph[], page: number): Table | null {
  const cols = columnsOf(rows);
  if (cols.length < MIN_COLS) return null;
  const full = rows.filter((r) => r.parts.length >= cols.length - 1).length;
  if (full / rows.length < FULL_ROW_SHARE) return null;
  const colAnchors = [cols[0]?.x0 as number];
  for (let i = 1; i < cols.length; i++) colAnchors.push(((cols[i - 1]?.x1 as number) + (cols[i]?.x0 as number)) / 2);
  colAnchors.push(cols[cols.length - 1]?.x1 as number);
  const rowAnchors = [rows[0]?.box.y0 as number];
  for (let i = 1; i < rows.length; i++)
    rowAnchors.push(((rows[i - 1]?.box.y1 as number) + (rows[i]?.box.y0 as number)) / 2);
  rowAnchors.push(rows[rows.length - 1]?.box.y1 as number);
  const box = {
    x0: colAnchors[0] as number,
    y0: rowAnchors[0] as number,
    x1: colAnchors[colAnchors.length - 1] as number,
    y1: rowAnchors[rowAnchors.length - 1] as number,
  };
  const grid: Grid = { box, rowAnchors, colAnchors, hLines: [], vLines: [], openTop: false, openBottom: false };
  const frames: CellFrame[] = [];
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < cols.length; c++) {
      frames.push({
        row: r,
        col: c,
        rowSpan: 1,
        colSpan: 1,
        box: {
          x0: colAnchors[c] as number,
          y0: rowAnchors[r] as number,
          x1: colAnchors[c + 1] as number,
          y1: rowAnchors[r + 1] as number,
        },
      });
    }
  }
  const inside = glyphs.filter((g) => g.box.y1 > box.y0 && g.box.y0 < box.y1);
  const cells = fillCells({ grid, frames, glyphs: inside, fills: [], page, origin: 'text-layer', confidence: 1 });
  return {
    id: '',
    pages: [page],
    rows: rows.length,
    cols: cols.length,
    cells,
    detection: 'aligned',
    confidence: ALIGNED_CONFIDENCE,
    box,
  };
}

/**
 * Tables without ruling lines, found from text alignment only where it is reliable: at least three consecutive
 * rows split into at least three columns by wide gaps, the columns' gutters clear in every row, and nearly every
 * row filling the columns. Glyphs inside `exclude` (ruled tables) are ignored. Ids are left empty for the caller.
 */
export function findAlignedTables(glyphs: readonly Glyph[], exclude: readonly Box[], page: number): Table[] {
  const free = glyphs.filter((g) => {
    const cx = (g.box.x0 + g.box.x1) / 2;
    const cy = (g.box.y0 + g.box.y1) / 2;
    return g.dir === 0 && !exclude.some((b) => cx >= b.x0 && cx <= b.x1 && cy >= b.y0 && cy <= b.y1);
  });
  const rows = rowsOf(buildLines(free));
  const tables: Table[] = [];
  let run: Row[] = [];
  const flush = (): void => {
    if (run.length >= MIN_ROWS) {
      const table = tableFrom(run, free, page);
      if (table) tables.push(table);
    }
    run = [];
  };
  for (const row of rows) {
    const prev = run[run.length - 1];
    const height = row.box.y1 - row.box.y0;
    const multi = row.parts.length >= MIN_COLS - 1;
    if (!multi || (prev && row.box.y0 - prev.box.y1 > MAX_ROW_GAP * height)) flush();
    if (multi) run.push(row);
  }
  flush();
  return tables;
}
