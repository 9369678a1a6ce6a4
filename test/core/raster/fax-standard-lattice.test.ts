import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/index.js';
import { adoptColumnRules, extendToBorder, extendToDashedBorder } from '../../../core/raster/extend-to-border.js';
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

  it('widens a lattice to a border left as dashes when its row rules run on towards it', () => {
    // 洪泽区 2024 standard 表三 (page 3, points): the lattice stopped at 法律服务机构 (x 461); the right
    // border at 521 is dashes with gaps up to 80 pt, the 其他 | 总计 rule at 488 starts at the 法人 row.
    const inner = [
      h(388, 113, 514),
      h(526, 113, 509),
      h(786, 113, 506),
      v(113, 388, 786),
      v(317, 388, 786),
      v(461, 388, 786),
    ];
    const [grid] = findGrids(inner);
    const dash = (at: number, spans: [number, number][]) => spans.map(([from, to]) => ({ at, from, to }));
    const border = dash(521, [
      [398, 410],
      [421, 432],
      [445, 454],
      [511, 519],
      [580, 583],
      [663, 666],
      [733, 737],
      [752, 759],
      [775, 781],
    ]);
    const digits = dash(472, [
      [511, 520],
      [533, 542],
      [555, 564],
      [582, 591],
      [609, 618],
      [629, 638],
      [649, 659],
      [670, 679],
      [729, 738],
    ]);
    const wide = extendToDashedBorder(
      grid!,
      [
        ...border,
        ...digits,
        ...dash(488, [
          [420, 456],
          [487, 502],
          [532, 545],
          [600, 611],
          [690, 699],
          [736, 745],
        ]),
      ],
      inner,
    );
    expect(wide.colAnchors.map(Math.round)).toEqual([113, 317, 461, 521]);
    expect(wide.box.x1).toBeCloseTo(521, 0);
    // A column of digits (from the first data row down) is no border, nor are dashes the row rules do not run towards.
    expect(extendToDashedBorder(grid!, digits, inner).colAnchors).toEqual(grid!.colAnchors);
    const short = inner.map((s) => (s.axis === 'h' ? { ...s, to: 462 } : s));
    expect(extendToDashedBorder(findGrids(short)[0]!, border, short).colAnchors).toEqual(grid!.colAnchors);
  });
});
