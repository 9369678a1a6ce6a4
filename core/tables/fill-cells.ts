import type { Box, Cell, Origin } from '../model/index.js';
import { VERTICAL_RUN, type FilledRect, type Glyph } from '../pdf/raw-page.js';
import { buildLines } from '../text/build-lines.js';
import { isCjk } from '../text/normalize-text.js';
import type { CellFrame, Grid } from './grid.js';

/** A fill covering at least this share of a cell shades it. */
const SHADE_COVER = 0.6;
/** A run that reaches this far (points) past a column rule belongs partly to the next cell and is split. */
const SPILL = 1;
/** Vertical text: every line of the cell holds at most this many characters. */
const VERTICAL_MAX_CHARS = 1;
/** Latin letters and digits take about half an em; CJK a full em (to split a run across cells). */
const HALF_WIDTH = 0.5;

export interface FillInput {
  readonly grid: Grid;
  readonly frames: readonly CellFrame[];
  readonly glyphs: readonly Glyph[];
  readonly fills: readonly FilledRect[];
  readonly page: number;
  readonly origin: Origin;
  readonly confidence: number;
}

/** Index of the interval of `anchors` containing v, or -1 (binary search). */
function slot(anchors: readonly number[], v: number): number {
  let lo = 0;
  let hi = anchors.length - 1;
  if (v < (anchors[0] as number) || v > (anchors[hi] as number)) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v < (anchors[mid] as number)) hi = mid;
    else lo = mid;
  }
  return lo;
}

/** Splits a run into per-character runs with advances estimated from character widths. */
function splitRun(g: Glyph): Glyph[] {
  const chars = [...g.text];
  const widths = chars.map((c) => (isCjk(c) ? 1 : HALF_WIDTH));
  const total = widths.reduce((s, w) => s + w, 0);
  const scale = (g.box.x1 - g.box.x0) / Math.max(total, 1e-6);
  const out: Glyph[] = [];
  let x = g.box.x0;
  chars.forEach((text, i) => {
    const w = (widths[i] as number) * scale;
    if (text.trim() !== '') out.push({ ...g, text, box: { ...g.box, x0: x, x1: x + w } });
    x += w;
  });
  return out;
}

function cellText(glyphs: readonly Glyph[]): { text: string; vertical: boolean } {
  if (glyphs.length === 0) return { text: '', vertical: false };
  const sideways = glyphs.filter((g) => g.dir !== 0);
  if (sideways.length * 2 > glyphs.length) {
    // text turned within an upright table: read along its direction
    const down = sideways.filter((g) => g.dir === 90).length * 2 >= sideways.length;
    const ordered = [...glyphs].sort((a, b) => (down ? a.box.y0 - b.box.y0 : b.box.y0 - a.box.y0));
    return { text: ordered.map((g) => g.text.trim()).join(''), vertical: true };
  }
  const lines = buildLines(glyphs);
  const stacked = lines.length > 1 && lines.every((l) => [...l.text].length <= VERTICAL_MAX_CHARS);
  // a run set in a vertical font comes as one tall run
  const vertical = stacked || glyphs.some((g) => g.box.y1 - g.box.y0 > VERTICAL_RUN * g.size && [...g.text].length > 1);
  let text = '';
  for (const l of lines) {
    if (text.length > 0 && !stacked && !isCjk(text.at(-1) ?? '') && !isCjk(l.text[0] ?? '')) text += ' ';
    text += l.text;
  }
  return { text, vertical };
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Puts text into the cells of a grid: each run goes to the cell holding its centre (runs crossing a column
 * rule are split per character first); multi-line text is joined in reading order, vertical text (one
 * character per line) into one word; a cell is shaded when a grey fill covers most of it.
 */
export function fillCells(input: FillInput): Cell[] {
  const { grid, frames } = input;
  const cols = grid.colAnchors.length - 1;
  const owner = new Int32Array((grid.rowAnchors.length - 1) * cols).fill(-1);
  frames.forEach((f, i) => {
    for (let r = f.row; r < f.row + f.rowSpan; r++)
      for (let c = f.col; c < f.col + f.colSpan; c++) owner[r * cols + c] = i;
  });
  const buckets: Glyph[][] = frames.map(() => []);
  const place = (g: Glyph): void => {
    const r = slot(grid.rowAnchors, (g.box.y0 + g.box.y1) / 2);
    const c = slot(grid.colAnchors, (g.box.x0 + g.box.x1) / 2);
    if (r < 0 || c < 0) return;
    const i = owner[r * cols + c] ?? -1;
    if (i >= 0) buckets[i]?.push(g);
  };
  for (const g of input.glyphs) {
    const cy = (g.box.y0 + g.box.y1) / 2;
    if (cy < grid.box.y0 || cy > grid.box.y1 || g.box.x1 < grid.box.x0 || g.box.x0 > grid.box.x1) continue;
    const c0 = slot(grid.colAnchors, g.box.x0 + SPILL);
    const c1 = slot(grid.colAnchors, g.box.x1 - SPILL);
    if (g.dir === 0 && [...g.text].length > 1 && c0 !== c1) splitRun(g).forEach(place);
    else place(g);
  }
  return frames.map((f, i) => {
    const { text, vertical } = cellText(buckets[i] ?? []);
    const area = (f.box.x1 - f.box.x0) * (f.box.y1 - f.box.y0);
    const shaded = input.fills.some((r) => area > 0 && overlapArea(r.box, f.box) / area >= SHADE_COVER);
    return {
      row: f.row,
      col: f.col,
      rowSpan: f.rowSpan,
      colSpan: f.colSpan,
      page: input.page,
      box: f.box,
      text,
      origin: input.origin,
      confidence: input.confidence,
      shaded,
      vertical,
    };
  });
}
