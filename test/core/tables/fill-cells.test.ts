import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../core/model/index.js';
import type { Glyph } from '../../../core/pdf/raw-page.js';
import { findRuledTables } from '../../../core/tables/find-ruled-tables.js';
import { glyph, glyphsOf } from '../../helpers/glyphs.js';

const h = (at: number, from: number, to: number): Segment => ({ axis: 'h', at, from, to });
const v = (at: number, from: number, to: number): Segment => ({ axis: 'v', at, from, to });

/** Two columns (0–100, 100–200), rows of 40 points from y = 0. */
function twoColumns(rows: number): Segment[] {
  const out = [v(0, 0, rows * 40), v(100, 0, rows * 40), v(200, 0, rows * 40)];
  for (let r = 0; r <= rows; r++) out.push(h(r * 40, 0, 200));
  return out;
}

function textAt(glyphs: Glyph[], segments = twoColumns(2)): string[][] {
  const [table] = findRuledTables({ page: 1, segments, glyphs, fills: [] });
  if (!table) return [];
  const rows: string[][] = [];
  for (const c of table.cells) (rows[c.row] ??= [])[c.col] = c.text;
  return rows;
}

describe('fillCells via findRuledTables', () => {
  it('joins multi-line CJK text in a cell without spaces and Latin lines with one', () => {
    const rows = textAt([
      ...glyphsOf('部分公开区', 5, 3),
      ...glyphsOf('分处理的', 5, 15),
      glyph('carried', 105, 3),
      glyph('over', 105, 15),
      glyph('7', 150, 45),
    ]);
    expect(rows[0]).toEqual(['部分公开区分处理的', 'carried over']);
    expect(rows[1]).toEqual(['', '7']);
  });

  it('joins vertical text (one character per line, top to bottom) into one word and marks it', () => {
    const glyphs = [...'本年度办理结果'].map((c, i) => glyph(c, 45, 2 + i * 11));
    const segments = [v(0, 0, 80), v(100, 0, 80), v(200, 0, 80), h(0, 0, 200), h(80, 0, 200)];
    const [table] = findRuledTables({ page: 1, segments, glyphs, fills: [] });
    expect(table?.cells[0]).toMatchObject({ text: '本年度办理结果', vertical: true });
    expect(table?.cells[1]).toMatchObject({ text: '', vertical: false });
  });

  it('splits a run that crosses a column rule between the cells', () => {
    const rows = textAt([{ text: '12 34', box: { x0: 80, y0: 5, x1: 130, y1: 15 }, size: 10, dir: 0 }]);
    expect(rows[0]).toEqual(['12', '34']);
  });

  it('marks a cell shaded when a grey fill lies behind it', () => {
    const [table] = findRuledTables({
      page: 3,
      segments: twoColumns(1),
      glyphs: [glyph('caption', 5, 5)],
      fills: [{ box: { x0: 0, y0: 0, x1: 100, y1: 40 }, luminance: 0.85 }],
    });
    expect(table?.id).toBe('p3-t1');
    expect(table?.cells.map((c) => c.shaded)).toEqual([true, false]);
    expect(table?.cells[0]).toMatchObject({ page: 3, origin: 'text-layer', text: 'caption' });
  });

  it('keeps a rule-only frame without text out of the tables', () => {
    expect(findRuledTables({ page: 1, segments: twoColumns(2), glyphs: [], fills: [] })).toEqual([]);
  });
});
