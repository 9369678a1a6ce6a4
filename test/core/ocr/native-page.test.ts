import { describe, expect, it } from 'vitest';
import { parseTsv } from '../../../core/ocr/native-page.js';

const HEADER = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
const row = (
  level: number,
  b: number,
  p: number,
  l: number,
  w: number,
  box: number[],
  conf: number,
  text = '',
): string => [level, 1, b, p, l, w, ...box, conf, text].join('\t');

describe('parseTsv (the native prose pass)', () => {
  it('groups words into lines and paragraphs with boxes, joins CJK and drops empty words', () => {
    const tsv = [
      HEADER,
      row(1, 0, 0, 0, 0, [0, 0, 1000, 1000], -1),
      row(2, 1, 0, 0, 0, [10, 10, 500, 100], -1),
      row(3, 1, 1, 0, 0, [10, 10, 500, 100], -1),
      row(4, 1, 1, 1, 0, [10, 10, 500, 40], -1),
      row(5, 1, 1, 1, 1, [10, 10, 40, 40], 96, '年'),
      row(5, 1, 1, 1, 2, [50, 10, 40, 40], 90, '度'),
      row(5, 1, 1, 1, 3, [90, 10, 40, 40], 95, ' '),
      row(4, 1, 1, 2, 0, [10, 60, 300, 40], -1),
      row(5, 1, 1, 2, 1, [10, 60, 80, 40], 80, '2019'),
      row(5, 1, 1, 2, 2, [100, 60, 40, 40], 70, '年'),
      row(2, 2, 0, 0, 0, [10, 500, 500, 50], -1),
      row(3, 2, 1, 0, 0, [10, 500, 500, 50], -1),
      row(4, 2, 1, 1, 0, [10, 500, 500, 50], -1),
      row(5, 2, 1, 1, 1, [10, 500, 200, 50], 60, 'Total'),
      row(5, 2, 1, 1, 2, [220, 500, 100, 50], 40, '12'),
      '',
    ].join('\n');
    const page = parseTsv(tsv);
    expect(page.paragraphs.map((p) => p.lines.map((l) => l.text))).toEqual([['年度', '2019年'], ['Total 12']]);
    const first = page.paragraphs[0]!;
    expect(first.box).toEqual({ x0: 10, y0: 10, x1: 510, y1: 110 });
    expect(first.lines[1]!.box).toEqual({ x0: 10, y0: 60, x1: 310, y1: 100 });
    expect(first.lines[0]!.words.map((w) => w.box.x0)).toEqual([10, 50]);
    expect(first.lines[0]!.confidence).toBeCloseTo(0.93);
    expect(first.confidence).toBeCloseTo((0.96 + 0.9 + 0.8 + 0.7) / 4);
    expect(page.confidence).toBeCloseTo((0.96 + 0.9 + 0.8 + 0.7 + 0.6 + 0.4) / 6);
    expect(page.paragraphs[1]!.lines[0]!.words[1]).toMatchObject({ text: '12', confidence: 0.4, weakest: 0.4 });
  });

  it('reads an empty page as no paragraphs and no confidence', () => {
    expect(parseTsv(`${HEADER}\n${row(1, 0, 0, 0, 0, [0, 0, 100, 100], -1)}\n`)).toEqual({
      paragraphs: [],
      confidence: null,
    });
  });
});
