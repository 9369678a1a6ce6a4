import type { InkReport } from './find-ink.js';
import { inkShares } from './ink-shares.js';

/**
 * Label cells matched by their printed shape (issue 13, speed): a template label printed twice on a
 * page (表二's 信息内容, 表四's 结果维持 … under 行政复议 and again under 行政诉讼) leaves near-identical
 * ink, so one recognition serves every cell whose ink matches it. A match must be clear: the same
 * size and rows, and ink that differs in only a few grid cells. Anything less is read as before.
 */

/** Grid cells a text row is cut into, top to bottom (a row height is about one CJK character wide). */
const CELLS_PER_ROW = 12;
/** Two labels' ink boxes may differ by this share of their side, or by this many pixels, whichever is more. */
const SIZE_SLACK = 0.04;
const SIZE_SLACK_PX = 3;
/**
 * At most this mean absolute difference of grid ink density (0…1 a cell) in the worst one-character
 * window (shapeDistance): on 474 label cells of the dev quick pages the same text on one page came out
 * at median 0.06, different texts at ≥ 0.157 (第二十条第（六）项 vs （八）项). About half the repeats
 * match; the rest are read, which costs time, never a wrong label.
 */
const MAX_DISTANCE = 0.07;

/** A label cell's ink, ready to be compared by its density grid. */
export interface LabelShape {
  readonly rows: number;
  /** Ink box, pixels. */
  readonly width: number;
  readonly height: number;
  /** The ink's density grid with this many columns (its rows are CELLS_PER_ROW a text row). */
  readonly grid: (cols: number) => Float32Array;
  /** Columns of its own grid: the cells are about square. */
  readonly cols: number;
}

/** A cell's kept ink as a label shape; null when the cell has no ink. */
export function labelShape(ink: InkReport): LabelShape | null {
  const box = ink.box;
  if (!box) return null;
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  if (width <= 0 || height <= 0) return null;
  const rows = Math.max(1, ink.rows);
  const gridRows = CELLS_PER_ROW * rows;
  const win = { left: box.x0 - ink.crop.x0, width, top: box.y0 - ink.crop.y0, height };
  const grids = new Map<number, Float32Array>();
  const grid = (cols: number): Float32Array => {
    let g = grids.get(cols);
    if (!g) grids.set(cols, (g = inkShares(ink, win, cols, gridRows)));
    return g;
  };
  return { rows, width, height, grid, cols: Math.max(1, Math.round((gridRows * width) / height)) };
}

const near = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(SIZE_SLACK_PX, SIZE_SLACK * Math.max(a, b));

/**
 * How unlike two label shapes are: the largest mean absolute density difference over windows one
 * text row square (about one character), half a window apart, on the first one's grid; Infinity when
 * their sizes or rows differ. Per character, not over the label: 第二十条第（六）项 and （八）项 differ
 * in one character of eight.
 */
export function shapeDistance(a: LabelShape, b: LabelShape): number {
  if (a.rows !== b.rows || !near(a.width, b.width) || !near(a.height, b.height)) return Infinity;
  const cols = a.cols;
  const ga = a.grid(cols);
  const gb = b.grid(cols);
  const side = CELLS_PER_ROW;
  const step = side / 2;
  let worst = 0;
  for (let r = 0; r < a.rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += step) {
      const c1 = Math.min(cols, c0 + side);
      let d = 0;
      for (let y = r * side; y < (r + 1) * side; y++)
        for (let x = c0; x < c1; x++) d += Math.abs(ga[y * cols + x]! - gb[y * cols + x]!);
      worst = Math.max(worst, d / (side * (c1 - c0)));
      if (c1 === cols) break;
    }
  }
  return worst;
}

/** Whether two shapes are clearly the same printed label. */
export function sameLabel(a: LabelShape, b: LabelShape): boolean {
  return shapeDistance(a, b) <= MAX_DISTANCE;
}

/**
 * The labels of one page read so far, by shape. `read` gives a cell the reading of the one earlier
 * cell whose ink clearly matches it, once that reading is sure; a cell that matches none, or more
 * than one, or whose match read unsurely, is read by `readItself` (and only cells read themselves
 * are remembered, so a match is always one recogniser reading away).
 */
export interface LabelMemory<T> {
  read(shape: LabelShape, readItself: () => Promise<T>): Promise<T>;
}

export function labelMemory<T>(sure: (reading: T) => boolean): LabelMemory<T> {
  const read: { shape: LabelShape; reading: Promise<T> }[] = [];
  return {
    read(shape, readItself) {
      const matches = read.filter((r) => sameLabel(r.shape, shape) && sameLabel(shape, r.shape));
      if (matches.length === 1) {
        return matches[0]!.reading.then((r) => (sure(r) ? r : readItself()));
      }
      const reading = readItself();
      if (matches.length === 0) read.push({ shape, reading });
      return reading;
    },
  };
}
