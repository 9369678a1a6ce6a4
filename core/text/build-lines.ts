import type { Box, TextLine } from '../model/index.js';
import type { Glyph } from '../pdf/raw-page.js';
import { collapseCjkSpaces, isCjk } from './normalize-text.js';

/** Two runs share a line when their vertical centres differ by less than this share of the smaller font size. */
const SAME_LINE = 0.5;
/** A horizontal gap wider than this many ems splits a line into separate lines (table columns, page layout). */
const COLUMN_GAP = 2.5;
/** A gap wider than this many ems between non-CJK runs is a word space (producers often drop space glyphs). */
const WORD_GAP = 0.15;
/** Between CJK and Latin runs a gap this wide (ems) stands for a typed space ("2023 年"). */
const MIXED_GAP = 0.2;

export interface LineOfGlyphs {
  readonly box: Box;
  readonly text: string;
  readonly glyphs: readonly Glyph[];
}

function cy(g: Glyph): number {
  return (g.box.y0 + g.box.y1) / 2;
}

/** The smallest box holding all `boxes`. */
export function unionBoxes(boxes: readonly Box[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    if (b.x0 < x0) x0 = b.x0;
    if (b.y0 < y0) y0 = b.y0;
    if (b.x1 > x1) x1 = b.x1;
    if (b.y1 > y1) y1 = b.y1;
  }
  return { x0, y0, x1, y1 };
}

/** Joins runs of one line left to right, putting spaces only where the gap shows one between non-CJK text. */
export function joinRuns(runs: readonly Glyph[]): string {
  let text = '';
  let prev: Glyph | null = null;
  for (const g of runs) {
    const piece = collapseCjkSpaces(g.text.trim());
    if (prev && text.length > 0 && piece.length > 0) {
      const em = Math.min(prev.size, g.size);
      const gap = (g.box.x0 - prev.box.x1) / em;
      const leftCjk = isCjk(text.at(-1) ?? '');
      const rightCjk = isCjk(piece[0] ?? '');
      if (!leftCjk && !rightCjk ? gap > WORD_GAP : leftCjk !== rightCjk && gap > MIXED_GAP) text += ' ';
    }
    text += piece;
    prev = g;
  }
  return text;
}

/**
 * Groups upright glyph runs into lines: cluster by vertical centre, order left to right, split at wide gaps.
 * O(n log n) in the number of runs. Lines come out top to bottom, then left to right.
 */
export function buildLines(glyphs: readonly Glyph[]): LineOfGlyphs[] {
  const sorted = [...glyphs].sort((a, b) => cy(a) - cy(b));
  const rows: Glyph[][] = [];
  let row: Glyph[] = [];
  let rowCy = 0;
  let rowSize = 0;
  for (const g of sorted) {
    if (row.length > 0 && Math.abs(cy(g) - rowCy) < SAME_LINE * Math.min(rowSize, g.size)) {
      row.push(g);
      rowCy += (cy(g) - rowCy) / row.length;
      rowSize = Math.max(rowSize, g.size);
      continue;
    }
    if (row.length > 0) rows.push(row);
    row = [g];
    rowCy = cy(g);
    rowSize = g.size;
  }
  if (row.length > 0) rows.push(row);

  const lines: LineOfGlyphs[] = [];
  for (const r of rows) {
    r.sort((a, b) => a.box.x0 - b.box.x0);
    let start = 0;
    for (let i = 1; i <= r.length; i++) {
      const prev = r[i - 1] as Glyph;
      const next = r[i];
      if (next && next.box.x0 - prev.box.x1 <= COLUMN_GAP * Math.min(prev.size, next.size)) continue;
      const part = r.slice(start, i);
      const text = joinRuns(part);
      if (text.length > 0) lines.push({ box: unionBoxes(part.map((p) => p.box)), text, glyphs: part });
      start = i;
    }
  }
  return lines;
}

/** Lines as the model stores them (text-layer origin, full confidence). */
export function toTextLines(lines: readonly LineOfGlyphs[]): TextLine[] {
  return lines.map((l) => ({ box: l.box, text: l.text, origin: 'text-layer' as const, confidence: 1 }));
}
