import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/index.js';
import { railGrids } from '../../../core/raster/rail-grids.js';
import { findGrids } from '../../../core/tables/find-grids.js';

const v = (at: number, from: number, to: number): Segment => ({ axis: 'v', at, from, to });
const h = (at: number, from: number, to: number): Segment => ({ axis: 'h', at, from, to });

describe('railGrids: a table a standard-mode fax left only its vertical rules of', () => {
  // 淮安市 2024 standard, page 3 (points): its 表二's borders and column rules in pieces, no row rule.
  const page3 = [
    v(80.4, 477.9, 768.4),
    v(251.0, 513.5, 565.1),
    v(251.0, 574.2, 622.9),
    v(344.0, 513.9, 623.6),
    v(423.7, 521.6, 562.6),
    v(527.4, 478.6, 768.4),
  ];

  it('finds one band between the two borders, open at both ends, where findGrids finds none', () => {
    expect(findGrids(page3)).toEqual([]);
    const [grid, ...rest] = railGrids(page3, []);
    expect(rest).toEqual([]);
    expect(grid!.colAnchors).toEqual([80.4, 527.4]);
    expect(grid!.rowAnchors).toEqual([478.6, 768.4]);
    expect([grid!.openTop, grid!.openBottom]).toEqual([true, true]);
  });

  it('takes no rule of a lattice already found, and no pair whose ends differ', () => {
    const lattice = findGrids([...page3, h(478, 80, 528), h(768, 80, 528)]);
    expect(lattice).toHaveLength(1);
    expect(railGrids(page3, lattice)).toEqual([]);
    // A column rule of a table and a streak-like rule lower down: not one table's two sides.
    expect(railGrids([v(80, 100, 400), v(400, 160, 700)], [])).toEqual([]);
    // Two rules a column apart: not a table's width.
    expect(railGrids([v(80, 100, 400), v(160, 100, 400)], [])).toEqual([]);
  });
});
