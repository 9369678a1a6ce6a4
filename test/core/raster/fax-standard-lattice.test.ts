import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/index.js';
import { adoptColumnRules, extendToBorder } from '../../../core/raster/extend-to-border.js';
import { buildCells } from '../../../core/tables/build-cells.js';
import { findGrids } from '../../../core/tables/find-grids.js';

const h = (at: number, from: number, to: number): Segment => ({ axis: 'h', at, from, to });
const v = (at: number, from: number, to: number): Segment => ({ axis: 'v', at, from, to });

/**
 * The rules the line finder kept of a Noto Sans 表三 faxed in standard mode, cut by a page break
 * (page 2 of noto-sans__fax-standard__0, in points): the top border, the two borders and the
 * 自然人 rule touching it, the other column rules starting at lost row rules, and no row rule.
 */
const lost: Segment[] = [
  h(455, 70, 553),
  v(71, 455, 788),
  v(282, 454, 788),
  v(552, 454, 788),
  v(100, 580, 788),
  v(152, 640, 788),
  v(321, 476, 788),
  v(360, 497, 788),
  v(398, 497, 788),
  v(437, 497, 788),
  v(475, 497, 788),
  v(514, 476, 788),
];

describe('standard-mode fax lattices: a table whose row rules were all lost', () => {
  it('opens a grid under a lone rule with column rules hanging past it, only when asked (coarse pages)', () => {
    expect(findGrids(lost)).toEqual([]);
    const [grid] = findGrids(lost, { loneRule: true });
    expect(grid!.rowAnchors).toEqual([455, 788]);
    expect(grid!.colAnchors).toEqual([71, 282, 552]);
    // An underline with two ticks is no table.
    expect(findGrids([h(100, 0, 200), v(0, 100, 300), v(200, 100, 300)], { loneRule: true })).toEqual([]);
  });

  it('adopts the column rules that touch no row rule, each drawn only where it runs', () => {
    const [grid] = findGrids(lost, { loneRule: true });
    const wide = adoptColumnRules(grid!, lost);
    expect(wide.colAnchors).toEqual([71, 100, 152, 282, 321, 360, 398, 437, 475, 514, 552]);
    // Above 580 the group columns (x 100, 152) have no rule yet: the label cell spans them there.
    const rows = {
      ...wide,
      rowAnchors: [455, 560, 700, 788],
      hLines: [...wide.hLines, h(560, 71, 552), h(700, 71, 552)],
    };
    const first = buildCells(rows).find((c) => c.row === 0 && c.col === 0)!;
    expect(first.colSpan).toBe(3);
    const last = buildCells(rows).filter((c) => c.row === 2);
    expect(last).toHaveLength(10);
  });

  it('widens a lattice by one column to a border that runs its whole height, not to a short rule', () => {
    const inner = [h(100, 120, 500), h(300, 120, 500), v(120, 100, 300), v(300, 100, 300), v(500, 100, 300)];
    const [grid] = findGrids(inner);
    expect(extendToBorder(grid!, [...inner, v(60, 99, 301)]).colAnchors).toEqual([60, 120, 300, 500]);
    expect(extendToBorder(grid!, [...inner, v(60, 150, 301)]).colAnchors).toEqual([120, 300, 500]);
    // Farther out than a quarter of the table's width: the next table's rule.
    expect(extendToBorder(grid!, [...inner, v(0, 99, 301)]).colAnchors).toEqual([120, 300, 500]);
  });
});
