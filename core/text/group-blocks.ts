import type { TextBlock, TextLine } from '../model/index.js';
import { unionBoxes } from './build-lines.js';
import { isCjk } from './normalize-text.js';

/** A line continues the block above when the gap between them is below this share of the line height. */
const BLOCK_GAP = 0.8;
/** Line heights within this ratio belong to the same paragraph style (a heading is larger). */
const HEIGHT_RATIO = 1.25;

function height(l: TextLine): number {
  return l.box.y1 - l.box.y0;
}

function overlapsHorizontally(a: TextLine, b: { x0: number; x1: number }): boolean {
  return Math.min(a.box.x1, b.x1) - Math.max(a.box.x0, b.x0) > 0;
}

/** Joins wrapped lines of a paragraph: CJK wraps need no space, Latin wraps do. */
function joinWrapped(lines: readonly TextLine[]): string {
  let text = '';
  for (const l of lines) {
    if (text.length > 0 && !isCjk(text.at(-1) ?? '') && !isCjk(l.text[0] ?? '')) text += ' ';
    text += l.text;
  }
  return text;
}

/**
 * Groups lines (top to bottom) into blocks: a line joins the open block whose last line sits just above it,
 * overlaps it horizontally and has a similar height. Blocks come out in reading order (top to bottom, left to right).
 */
export function groupBlocks(lines: readonly TextLine[]): TextBlock[] {
  const open: TextLine[][] = [];
  const sorted = [...lines].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
  for (const line of sorted) {
    let target: TextLine[] | undefined;
    for (let i = open.length - 1; i >= 0 && !target; i--) {
      const block = open[i] as TextLine[];
      const last = block.at(-1) as TextLine;
      const gap = line.box.y0 - last.box.y1;
      const h = Math.max(height(last), height(line));
      const ratio = Math.max(height(last), height(line)) / Math.max(1e-6, Math.min(height(last), height(line)));
      if (gap > -0.5 * h && gap < BLOCK_GAP * h && ratio < HEIGHT_RATIO && overlapsHorizontally(line, last.box))
        target = block;
      if (gap > 3 * h) break; // blocks are sorted by their last line; nothing further up can match
    }
    if (target) target.push(line);
    else open.push([line]);
  }
  const blocks = open.map((ls) => ({
    box: unionBoxes(ls.map((l) => l.box)),
    text: joinWrapped(ls),
    lines: ls,
    origin: 'text-layer' as const,
    confidence: 1,
  }));
  return blocks.sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
}
