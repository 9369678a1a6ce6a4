import { describe, expect, it } from 'vitest';
import { findAlignedTables } from '../../../core/tables/find-aligned-tables.js';
import { glyph, glyphsOf } from '../../helpers/glyphs.js';

const rows = [
  ['项目', '预算数', '支出数'],
  ['政务新媒体运营', '14.91', '10.81'],
  ['业务培训', '4.49', '4.47'],
  ['合计', '19.40', '15.28'],
];

describe('findAlignedTables', () => {
  it('finds a table without rules from three aligned columns, with lower confidence', () => {
    const glyphs = rows.flatMap((row, r) => row.flatMap((text, c) => glyphsOf(text, 60 + c * 150, 100 + r * 20)));
    const [table, ...rest] = findAlignedTables(glyphs, [], 2);
    expect(rest).toEqual([]);
    expect(table).toMatchObject({ rows: 4, cols: 3, detection: 'aligned', pages: [2] });
    expect(table?.confidence).toBeLessThan(0.95);
    expect(table?.cells.filter((c) => c.row === 1).map((c) => c.text)).toEqual(['政务新媒体运营', '14.91', '10.81']);
  });

  it('leaves prose, two-column lists and text inside ruled tables alone', () => {
    const prose = [0, 1, 2, 3].flatMap((r) => glyphsOf('本报告统计数据从一月一日至十二月三十一日止', 60, 100 + r * 14));
    const list = [0, 1, 2, 3].flatMap((r) => [
      glyph('Phone', 60, 300 + r * 14),
      glyph('0955-7629262', 200, 300 + r * 14),
    ]);
    expect(findAlignedTables([...prose, ...list], [], 1)).toEqual([]);
    const glyphs = rows.flatMap((row, r) => row.flatMap((text, c) => glyphsOf(text, 60 + c * 150, 500 + r * 20)));
    expect(findAlignedTables(glyphs, [{ x0: 50, y0: 490, x1: 550, y1: 600 }], 1)).toEqual([]);
  });
});
