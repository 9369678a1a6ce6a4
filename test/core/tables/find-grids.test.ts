import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/index.js';
import { buildCells } from '../../../core/tables/build-cells.js';
import { coalesceLines, findGrids } from '../../../core/tables/find-grids.js';

const h = (at: number, from: number, to: number): Segment => ({ axis: 'h', at, from, to });
const v = (at: number, from: number, to: number): Segment => ({ axis: 'v', at, from, to });

/** A fully ruled table: rows × cols cells of 20 × 50 points at (x, y). */
function ruled(x: number, y: number, rows: number, cols: number): Segment[] {
  const out: Segment[] = [];
  for (let r = 0; r <= rows; r++) out.push(h(y + r * 20, x, x + cols * 50));
  for (let c = 0; c <= cols; c++) out.push(v(x + c * 50, y, y + rows * 20));
  return out;
}

describe('coalesceLines', () => {
  it('merges pieces of one rule drawn per cell, slightly offset, and keeps separate rules apart', () => {
    const lines = coalesceLines([
      h(100, 0, 50),
      h(100.6, 50.5, 100),
      h(100.2, 101, 150),
      h(100, 200, 250),
      h(120, 0, 50),
    ]);
    expect(lines.filter((l) => Math.abs(l.at - 100.3) < 1).map((l) => [l.from, l.to])).toEqual([
      [0, 150],
      [200, 250],
    ]);
    expect(lines).toHaveLength(3);
  });
});

describe('findGrids', () => {
  it('finds each connected lattice with its anchors, top to bottom', () => {
    const grids = findGrids([...ruled(50, 400, 2, 2), ...ruled(50, 100, 3, 4)]);
    expect(grids).toHaveLength(2);
    expect(grids[0]?.rowAnchors).toEqual([100, 120, 140, 160]);
    expect(grids[0]?.colAnchors).toEqual([50, 100, 150, 200, 250]);
    expect(grids[1]?.box).toEqual({ x0: 50, y0: 400, x1: 150, y1: 440 });
  });

  it('ignores lone lines, underlines and tiny boxes', () => {
    expect(
      findGrids([
        h(100, 0, 300),
        h(200, 0, 300),
        v(500, 0, 100),
        ...ruled(10, 10, 1, 1).map((s) => ({ ...s, at: s.at / 10 })),
      ]),
    ).toEqual([]);
  });

  it('adds an open edge where vertical rules run past the last rule (a row cut by a page break)', () => {
    const grid = findGrids([h(100, 0, 100), h(120, 0, 100), v(0, 100, 140), v(50, 100, 140), v(100, 100, 140)])[0];
    expect(grid?.rowAnchors).toEqual([100, 120, 140]);
    expect(grid?.openBottom).toBe(true);
    expect(grid?.openTop).toBe(false);
  });
});

describe('buildCells', () => {
  it('spans cells across missing edges (a caption over all columns, a label over two rows)', () => {
    // 3 rows × 3 cols; row 0 has no inner vertical rules; column 0 has no rule between rows 1 and 2
    const segments = [
      h(0, 0, 150),
      h(20, 0, 150),
      h(40, 50, 150),
      h(60, 0, 150),
      v(0, 0, 60),
      v(50, 20, 60),
      v(100, 20, 60),
      v(150, 0, 60),
    ];
    const grid = findGrids(segments)[0];
    if (!grid) throw new Error('no grid');
    const cells = buildCells(grid).map((c) => [c.row, c.col, c.rowSpan, c.colSpan]);
    expect(cells).toEqual([
      [0, 0, 1, 3],
      [1, 0, 2, 1],
      [1, 1, 1, 1],
      [1, 2, 1, 1],
      [2, 1, 1, 1],
      [2, 2, 1, 1],
    ]);
  });
});
