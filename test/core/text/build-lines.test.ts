import { describe, expect, it } from 'vitest';
import { buildLines } from '../../../core/text/build-lines.js';
import { groupBlocks } from '../../../core/text/group-blocks.js';
import { normalizeText } from '../../../core/text/normalize-text.js';
import { toTextLines } from '../../../core/text/build-lines.js';
import { glyph, glyphsOf } from '../../helpers/glyphs.js';

describe('buildLines', () => {
  it('joins CJK characters split into runs without spaces, keeping spaces between Latin words', () => {
    const lines = buildLines([
      ...glyphsOf('本年新收申请', 50, 100),
      glyph('Annual', 200, 300),
      glyph('report', 236, 300),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['本年新收申请', 'Annual report']);
  });

  it('keeps a typed space between digits and CJK ("2023 年") but not inside CJK runs with letter spacing', () => {
    const lines = buildLines([glyph('2023', 50, 100), ...glyphsOf('年', 75, 100), glyph('商 业 企', 200, 200)]);
    expect(lines.map((l) => l.text)).toEqual(['2023 年', '商业企']);
  });

  it('orders lines top to bottom and splits a row at a column-wide gap', () => {
    const lines = buildLines([glyph('right', 300, 100), glyph('second', 50, 130), glyph('left', 50, 101)]);
    expect(lines.map((l) => l.text)).toEqual(['left', 'right', 'second']);
  });

  it('groups wrapped lines into a block, and a distant line into another', () => {
    const lines = toTextLines(
      buildLines([...glyphsOf('第一行文字', 50, 100), ...glyphsOf('第二行', 50, 112), ...glyphsOf('另一段', 50, 200)]),
    );
    const blocks = groupBlocks(lines);
    expect(blocks.map((b) => b.text)).toEqual(['第一行文字第二行', '另一段']);
  });
});

describe('normalizeText', () => {
  it('maps Kangxi radicals and full-width forms for matching', () => {
    expect(normalizeText('第\u2F06\u2F17条（\u2F00）项 ３')).toBe('第二十条(一)项 3');
    expect(normalizeText('\u2F8F政 复议')).toBe('行政复议');
  });
});
