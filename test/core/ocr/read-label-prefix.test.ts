import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import { inTemplateOrder, matchNote, matchPrefix, planPrefix } from '../../../core/ocr/read-label-prefix.js';
import { readTable } from '../../../core/ocr/read-table.js';
import type { Raster } from '../../../core/raster/raster.js';
import { reportLayout } from '../../../core/report/labels.js';
import { T3_NOTE } from '../../../core/report/schema.js';
import { labelTable, measured } from '../../helpers/label-table.js';
import { useOcrEngine } from '../../helpers/ocr-engine.js';

const T3 = reportLayout('v2021')
  .find((t) => t.id === 'applications')!
  .rows.map((r) => r.label);
const at = (label: string): number => T3.indexOf(label);

describe('matchPrefix', () => {
  it('names the one template row whose number and first words the prefix reads', () => {
    expect(matchPrefix('1. 属于国')).toBe(at('1.属于国家秘密'));
    expect(matchPrefix('8. 属于行')).toBe(at('8.属于行政查询事项'));
    expect(matchPrefix('(二) 部分公')).toBe(at('（二）部分公开（区分处理的，只计这一情形，不计其他情形）'));
    expect(matchPrefix('一、本年新')).toBe(at('一、本年新收政府信息公开申请数量'));
    // The last character may be cut by the crop: the words before it must still fit.
    expect(matchPrefix('2. 其他法生')).toBe(at('2.其他法律行政法规禁止公开'));
    // One character of four or more may be misread (三 as 二), as long as one row alone fits.
    expect(matchPrefix('5.属于二类')).toBe(at('5.属于三类内部事务信息'));
    // A bracketed number misread (（二） as （一）, every dev scan): exact words name the one bracketed row.
    expect(matchPrefix('(一) 部分公', true)).toBe(at('（二）部分公开（区分处理的，只计这一情形，不计其他情形）'));
    expect(matchPrefix('(一) 部分公')).toBeNull(); // on fax pages: read whole
  });

  it("names table 三's note by its first words, all but one right, and no row by them", () => {
    expect(matchNote('(本列数据的')).toBe(true);
    expect(matchNote('《本殉数据的')).toBe(true);
    expect(matchNote('(本列数')).toBe(false); // too few words
    expect(matchNote('(本殉数掘的')).toBe(false); // two wrong
    expect(matchNote('一、本列数据')).toBe(false); // numbered: a row
    expect(matchPrefix('(本列数据的')).toBeNull();
  });

  it('names nothing when the number disagrees, is missing, or the words fit several rows or none', () => {
    expect(matchPrefix('(一) 部分开', true)).toBeNull(); // （二） misread as （一） and a word wrong: read whole
    expect(matchPrefix('属于国家')).toBeNull(); // no sub-item number read
    expect(matchPrefix('1. 属于')).toBeNull(); // too few words to stand for a label
    expect(matchPrefix('9. 属于行')).toBeNull();
    expect(matchPrefix('3. 要求提')).toBe(at('3.要求提供公开出版物'));
    expect(matchPrefix('3. 要求行')).toBeNull();
    expect(matchPrefix('3.危及二')).toBeNull(); // three words, one wrong: too little
    expect(matchPrefix('属于二类内')).toBeNull();
  });
});

describe('planPrefix', () => {
  /** A 300-dpi label crop: `n` CJK-sized glyphs (40 px squares, 10 px apart) on one row, and a full stop under its end when `dot`. */
  function label(n: number, dot: boolean): Raster & { data: Uint8Array } {
    const width = 60 + n * 50;
    const data = new Uint8Array(width * 100).fill(245);
    const fill = (x0: number, y0: number, x1: number, y1: number): void => {
      for (let y = y0; y < y1; y++) data.fill(20, y * width + x0, y * width + x1);
    };
    for (let i = 0; i < n; i++) {
      const x = 30 + i * 50;
      fill(x, 20, x + 40, 25);
      fill(x, 55, x + 40, 60);
      fill(x, 20, x + 5, 60);
      fill(x + 35, 20, x + 40, 60);
    }
    // A full stop six pixel rows below the glyphs: a band of ink apart from the row, but no text row.
    if (dot) fill(30 + n * 50 - 20, 66, 30 + n * 50 - 12, 74);
    return { width, height: 100, data, dpi: 300 };
  }

  it('cuts the prefix of a long one-row label in the gap nearest five row heights, a full stop under it or not', () => {
    for (const dot of [false, true]) {
      const r = label(12, dot);
      const ink = findInk(r, { x0: 0, y0: 0, x1: r.width, y1: r.height }, 300);
      expect(ink.rows).toBe(1);
      const plan = planPrefix(ink);
      expect(plan).not.toBeNull();
      expect(plan!.prefix.box).toEqual({ x0: 30, y0: 20, x1: 225, y1: 60 });
      expect(plan!.rowHeight).toBe(40);
    }
  });

  it('plans no prefix for a label too short to pay', () => {
    const r = label(6, false);
    expect(planPrefix(findInk(r, { x0: 0, y0: 0, x1: r.width, y1: r.height }, 300))).toBeNull();
  });
});

describe('inTemplateOrder', () => {
  it('keeps the longest run of rows in template order and drops the ones out of it', () => {
    expect([...inTemplateOrder([0, 1, 5, 2, 3])].sort()).toEqual([0, 1, 3, 4]);
    expect([...inTemplateOrder([3, 3, 4])]).toEqual([2]); // a row named twice is neither
    expect(inTemplateOrder([]).size).toBe(0);
  });
});

describe('readTable: long labels read as far as needed (real tesseract.js)', () => {
  const ocr = useOcrEngine({ workers: 1 });
  const rows = [
    '一、本年新收政府信息公开申请数量',
    '二、上年结转政府信息公开申请数量',
    '2.其他法律行政法规禁止公开',
    '5.属于三类内部事务信息',
    '1.本机关不掌握相关政府信息',
    '4.无正当理由大量反复申请',
    '四、结转下年度继续办理',
  ];

  it('gives the template labels of rows named by their first characters, reading far less of each', async () => {
    const { raster, skeleton, crops } = labelTable(rows);
    const m = measured(ocr());
    const got = await readTable(raster, skeleton, 0, crops, m.engine);
    expect(got.cells.map((c) => c.text)).toEqual(rows);
    for (const c of got.cells) expect(c.confidence).toBeGreaterThan(0.8);
    // Whole labels: ≈ 9–16 characters each; the prefixes ≈ 5.
    const whole = rows.reduce((s, r) => s + r.length, 0);
    expect(m.widths()).toBeLessThan(whole * 0.6);
  }, 120_000);

  it("names table 三's note by its prefix, except on fax pages", async () => {
    // As 9 of the 18 dev documents print it, in ASCII brackets.
    const note = '(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)';
    const { raster, skeleton, crops } = labelTable([note, ...rows], 8, [], 'Noto Serif CJK SC');
    const m = measured(ocr());
    const got = await readTable(raster, skeleton, 0, crops, m.engine);
    expect(got.cells.map((c) => c.text)).toEqual([T3_NOTE, ...rows]);
    // Every label's prefix and nothing whole.
    expect(m.calls()).toBe(rows.length + 1);
    const fax = measured(ocr());
    const faxed = await readTable(raster, skeleton, 0, crops, fax.engine, { faxLines: true });
    expect(faxed.cells[0]!.text.replace(/\s/g, '')).toContain('勾稽');
    expect(fax.calls()).toBe(rows.length + 2);
  }, 120_000);

  it('reads whole a label printed in other words and a row out of the template order', async () => {
    const own = '2.其他法律行政法规禁止公开的信息和文件材料';
    const swapped = [rows[0]!, rows[1]!, own, rows[5]!, rows[3]!, rows[6]!];
    const { raster, skeleton, crops } = labelTable(swapped);
    const got = await readTable(raster, skeleton, 0, crops, ocr());
    const texts = got.cells.map((c) => c.text.replace(/\s/g, ''));
    // Its own wording is longer than the template's: the ink says so and the label is read whole.
    expect(texts[2]).toContain('材料');
    // 4.无正当… before 5.属于三类… keeps the order, 5. after 4. would not: one of them is read whole,
    // and either way each cell's text is what is printed there.
    expect(texts[3]).toContain('大量反复');
    expect(texts[4]).toContain('内部事务');
    expect([texts[0], texts[1], texts[5]]).toEqual([rows[0], rows[1], rows[6]]);
  }, 120_000);

  it('stops reading prefixes in a table whose long labels name no row of 表三 (表二 captions)', async () => {
    const t2 = [
      '第二十条第（一）项规章和规范性文件',
      '本年收费金额（单位：万元）合计数',
      '第二十条第（五）项行政许可事项',
      '第二十条第（六）项行政处罚事项',
      '第二十条第（八）项行政事业性收费',
      '第二十条第（九）项政府集中采购',
    ];
    const { raster, skeleton, crops } = labelTable(t2);
    const m = measured(ocr());
    const got = await readTable(raster, skeleton, 0, crops, m.engine);
    expect(got.cells.map((c) => c.text.replace(/\s/g, '')).join('')).toContain('政府集中采购');
    // Three prefixes failed, then every label was read whole: 3 + 6 calls, not 6 + 6.
    expect(m.calls()).toBe(t2.length + 3);
  }, 120_000);

  it('reads every label whole in a grid narrower than 表三', async () => {
    const { raster, skeleton, crops } = labelTable(rows, 4);
    const m = measured(ocr());
    const got = await readTable(raster, skeleton, 0, crops, m.engine);
    const anchors = ['本年新收', '上年结转', '其他法律', '内部事务', '不掌握', '大量反复', '继续办理'];
    got.cells.forEach((c, i) => expect(c.text).toContain(anchors[i]));
    expect(m.calls()).toBe(rows.length);
  }, 120_000);
});
