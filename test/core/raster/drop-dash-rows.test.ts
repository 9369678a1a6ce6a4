import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/index.js';
import { dropDashRows } from '../../../core/raster/drop-dash-rows.js';
import type { Grid } from '../../../core/tables/grid.js';

/** A 400-pt-wide table with rules at `rows` (y, from, to). */
function grid(rows: readonly (readonly [number, number, number])[]): Grid {
  const hLines: Segment[] = rows.map(([at, from, to]) => ({ axis: 'h', at, from, to }));
  const ys = rows.map((r) => r[0]);
  return {
    box: { x0: 0, y0: Math.min(...ys), x1: 400, y1: Math.max(...ys) },
    rowAnchors: [...new Set(ys)].sort((a, b) => a - b),
    colAnchors: [0, 200, 300, 400],
    hLines,
    vLines: [0, 200, 300, 400].map((at) => ({ axis: 'v', at, from: ys[0]!, to: ys[ys.length - 1]! })),
    openTop: false,
    openBottom: false,
  };
}

describe('dropDashRows: short strokes a fax left are no row rules', () => {
  it('drops a short piece 9 pt under a rule (a stroke through a row of digits) and keeps the rules', () => {
    const out = dropDashRows(
      grid([
        [0, 0, 400],
        [20, 0, 400],
        [29, 300, 360],
        [60, 0, 400],
        [80, 0, 400],
      ]),
    );
    expect(out.rowAnchors).toEqual([0, 20, 60, 80]);
    expect(out.hLines.map((l) => l.at)).toEqual([0, 20, 60, 80]);
  });

  const kept: [string, [number, number, number][]][] = [
    [
      'a short piece with a row of writing on both sides (a group cell ruled off under a spanned label)',
      [
        [0, 0, 400],
        [20, 0, 400],
        [40, 300, 360],
        [60, 0, 400],
      ],
    ],
    [
      'a rule across the table however thin the band beside it (a double border)',
      [
        [0, 0, 400],
        [3, 0, 400],
        [20, 0, 400],
        [40, 0, 400],
      ],
    ],
    [
      'the top and bottom rules, however short',
      [
        [0, 300, 360],
        [5, 0, 400],
        [30, 0, 400],
        [35, 300, 360],
      ],
    ],
  ];
  it.each(kept)('keeps %s', (_, rules) => {
    const g = grid(rules);
    expect(dropDashRows(g)).toBe(g);
  });
});
