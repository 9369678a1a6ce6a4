import { describe, expect, it } from 'vitest';
import type { Table } from '../../../core/model/index.js';
import { classifyTables } from '../../../core/report/classify-tables.js';
import { mapReport } from '../../../core/report/map-report.js';
import { mapTableThree } from '../../../core/report/map-table-three.js';
import { mapTableTwo } from '../../../core/report/map-table-two.js';
import { buildPage, buildTable, type CellSpec } from '../../helpers/table-builder.js';
import { REPORT_TEXT_V2021, T3_SAMPLE, t3BodyV2021, t3Header } from './fixtures.js';

/**
 * Noto Serif standard-mode fax, report __0 (v2021), as OCR read it: 表二's captions, labels and heading
 * garbled past every anchor (`第上条放( )贰`, `正动公开政府全总情况`), 表四's header garbled and one of its
 * fifteen values read `TT一`. On main both were left unmapped: 25 cells missing.
 */
const raster = (t: Table): Table => ({ ...t, detection: 'raster' });
const across = (text: string, cols = 4): CellSpec => ({ text, colSpan: cols });

const T2 = raster(
  buildTable(
    [
      [across('第上条放( )贰')],
      ['fo已凡人', '本作.到火伯怠', '本对必下全数', '规行有全件数'],
      ['规避', '1', '0', '4'],
      ['生疏圭总袜文件', '0', '2', '15'],
      [across('秆 .上条第 (1项')],
      ['们已内究', { text: '本外处出人定数斌', colSpan: 3 }],
      ['生疏许可', { text: '182', colSpan: 3 }],
      [across('第“于条第(其')],
      ['们电信让', { text: '不信处用大定敦暴', colSpan: 3 }],
      ['行上收处虽', { text: '0', colSpan: 3 }],
      ['和政党制', { text: '2', colSpan: 3 }],
      [across('省1')],
      ['位以AN容', { text: '本条收绵全舰《站位万放)', colSpan: 3 }],
      ['行政出间肯收费', { text: '16.25', colSpan: 3 }],
    ],
    { id: 'p1-t1' },
  ),
);

/** Every label of 表三 garbled too: a deep grid of seven-number rows, 表三 by its shape. */
const T3 = raster(
  buildTable(
    [...t3Header(), ...t3BodyV2021(T3_SAMPLE)].map((row) =>
      row.map((cell) => {
        const text = typeof cell === 'string' ? cell : cell.text;
        if (/^-?\d+$/.test(text)) return cell;
        const junk = '和人上下' + String(text.length);
        return typeof cell === 'string' ? junk : { ...cell, text: junk };
      }),
    ),
    { id: 'p2-t1', page: 2 },
  ),
);

const T4 = raster(
  buildTable(
    [
      [across('', 5), across('林经忆民下护生水', 5), across('亿以嫩起出', 5)],
      ['纳中给二', '结果纠省', '有具他纪只', '疯林中(绩', '和计', '纳果细仁', '纳呆外上.', '外他铝了'].concat([
        '疝林外(',
        '4让',
        '多虹儿拉',
        '纪中名',
        '外他结果',
        '章林路结',
        '忆寺',
      ]),
      ['0', '6', '2', '0', '8', '0', '0', 'TT一', '0', '0', '0', '0', '2', '0', '2'],
    ],
    { id: 'p3-t1', page: 3 },
  ),
);

const TEXT = REPORT_TEXT_V2021.replace('二、主动公开政府信息情况', '“、正动公开政府全总情况')
  .replace('三、收到和处理政府信息公开申请情况', '天、收到和和处理政府伟总公开申请情况')
  .replace('四、政府信息公开行政复议、行政诉讼情况', '');

describe('mapReport: 表二 and 表四 a standard-mode fax left without anchors, taken by their shape', () => {
  const r = mapReport([buildPage(TEXT)], [T2, T3, T4])!;

  it('anchors alone place neither (the tables main left unmapped)', () => {
    const parts = classifyTables([T2, T3, T4]);
    expect(parts.get(T2)).toBeNull();
    expect(parts.get(T4)).toBe('t3');
  });

  it('takes 表二 before 表三 by its caption rows and item rows, every value flagged', () => {
    expect(r.mappedTableIds.active_disclosure).toEqual(['p1-t1']);
    const t2 = Object.values(r.cells).filter((c) => c.key.startsWith('active_disclosure.'));
    expect(r.cells['active_disclosure.regulations.in_force']?.value).toBe(4);
    expect(r.cells['active_disclosure.admin_licensing.decisions']?.value).toBe(182);
    expect(r.cells['active_disclosure.admin_fees.fee_amount_wan']?.value).toBe(16.25);
    expect(t2.length).toBe(10);
    expect(t2.filter((c) => c.flags.length === 0).map((c) => c.key)).toEqual([]);
  });

  it('takes the fifteen-column table after 表三 as 表四, each cell in its column, every value flagged', () => {
    expect(r.mappedTableIds.review_litigation).toEqual(['p3-t1']);
    expect(r.mappedTableIds.applications).toEqual(['p2-t1']);
    expect(r.cells['review_litigation.review_corrected']?.value).toBe(6);
    expect(r.cells['review_litigation.lit_after_review_total']?.value).toBe(2);
    expect(r.cells['review_litigation.lit_direct_other']?.value).toBeNull();
    const t4 = Object.values(r.cells).filter((c) => c.key.startsWith('review_litigation.'));
    expect(t4.length).toBe(15);
    expect(t4.filter((c) => c.flags.length === 0).map((c) => c.key)).toEqual([]);
  });

  it('does not guess a part the anchors found, nor a table of captions without item rows', () => {
    const words = raster(
      buildTable(
        [
          [across('说明')],
          ['甲', '乙', '丙', '丁'],
          [across('附注')],
          ['甲', '乙', '丙', '丁'],
          [across('其他')],
          ['a', 'b'],
        ],
        { id: 'p1-t1' },
      ),
    );
    expect(classifyTables([words, T3], new Map(), true).get(words)).toBeNull();
  });
});

describe('mapTableTwo: rows whose labels did not read keep their slots when the rows left fill the mini-table', () => {
  // UMing fine-mode fax __1 (v2019) as OCR read it: 规章 printed blank and read 规划, 规范性文件 read
  // 让论上-文件; 政府集中采购 read 中对集中不网, blank as printed, the last row of 表二.
  const first = raster(
    buildTable(
      [
        [across('第二十条第《一! 项')],
        ['信息内容', '本人秆新制作过人其', '本个新公用数攻', '对外公开总数工'],
        ['规划', '', '', ''],
        ['让论上-文件', '0', '0', '12'],
        [across('第二十条第《五; 项')],
        ['信息从容', '上一咎项HH 级量', '本年增/城', '处埋决宇艳量'],
        ['行政和可', '95', '+4', '6'],
        ['此他太外管理服务事项', '81', '0', '35'],
        [across('第二十条第 (六! 项')],
        ['信息内窑', '上年项目效其', '本年增/诚', '处理决定数央'],
      ],
      { id: 'p1-t1' },
    ),
  );
  const page2: (string | CellSpec)[][] = [
    ['行政公审', '248', '-2', '123'],
    ['行政型1司', '16', '710', '2'],
    [across('第二十条第〈八上项')],
    ['38', '上计项日终红', { text: '本咎其/城', colSpan: 2 }],
    ['行政下小性哆费', '1', { text: '0', colSpan: 2 }],
    [across('第二十条第 !九) 项')],
    ['位总及容', '家则英明终计', { text: '2', colSpan: 2 }],
    ['中对集中不网', '', { text: '', colSpan: 2 }],
  ];
  const second = raster(buildTable(page2, { id: 'p2-t1', page: 2 }));
  const { values } = mapTableTwo([first, second], 'v2019');
  const at = (key: string) => values.find((v) => v.key === `active_disclosure.${key}`);

  it('places the blank 规章 row by order and 规范性文件 under it, flagged (规范性文件 went missing on main)', () => {
    expect(at('regulations.new_made')?.cell.text).toBe('');
    expect(at('normative_docs.total_published')?.cell.text).toBe('12');
    expect(at('normative_docs.total_published')?.ambiguous).toBe(true);
  });

  it('places the last row of 表二, blank as printed, as 政府集中采购, flagged', () => {
    expect(at('gov_central_procurement.procurement_items')?.cell.text).toBe('');
    expect(at('gov_central_procurement.procurement_items')?.ambiguous).toBe(true);
  });

  it('leaves a lone blank row unplaced when more rows follow than slots are left', () => {
    const extra = raster(buildTable([...page2, ['附注', '', { text: '', colSpan: 2 }]], { id: 'p2-t1', page: 2 }));
    const placed = mapTableTwo([first, extra], 'v2019').values;
    expect(placed.find((v) => v.key.startsWith('active_disclosure.gov_central_procurement'))).toBeUndefined();
  });
});

describe('mapTableThree: two row labels read as one over an unlabelled row (UMing standard __0)', () => {
  // A lost rule between the label cells of 一、本年新收 and 二、上年结转 joined them; the joined label
  // matched 上年结转, and 本年新收's numbers went there, every row under it one lower.
  const body = t3BodyV2021(T3_SAMPLE);
  const joined = body.map((row, i) => {
    if (i === 0)
      return [{ text: '本个时收收府何下公开由请数量上年结转政府信息公开中请数量', colSpan: 3 }, ...row.slice(1)];
    if (i === 1) return [{ text: '', colSpan: 3 }, ...row.slice(1)];
    return row;
  });
  const { values } = mapTableThree([buildTable([...t3Header(), ...joined], { id: 'p2-t1' })], 'v2021');
  const at = (key: string) => values.find((v) => v.key === `applications.${key}`);

  it('takes the first row for 本年新收 and the unlabelled row for 上年结转, both flagged', () => {
    expect(at('new_received.total')?.cell.text).toBe(String(T3_SAMPLE['new_received']!.reduce((a, b) => a + b, 0)));
    expect(at('new_received.total')?.ambiguous).toBe(true);
    expect(at('carried_over.total')?.cell.text).toBe(String(T3_SAMPLE['carried_over']!.reduce((a, b) => a + b, 0)));
    expect(at('carried_over.total')?.ambiguous).toBe(true);
    expect(at('granted.total')?.cell.text).toBe(String(T3_SAMPLE['granted']!.reduce((a, b) => a + b, 0)));
  });
});
