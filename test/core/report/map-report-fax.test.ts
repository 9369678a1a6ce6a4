import { describe, expect, it } from 'vitest';
import type { Table } from '../../../core/model/index.js';
import { buildPage, buildTable, type CellSpec } from '../../helpers/table-builder.js';
import { BUDGET_TABLE, REPORT_TEXT_V2021, T3_SAMPLE, t3BodyV2021, t3Header, t4Table } from './fixtures.js';
import { report, T4_VALUES, value } from './map-report-helpers.js';
import { mapReport } from '../../../core/report/map-report.js';
import { mapTableTwo } from '../../../core/report/map-table-two.js';

/** Each key of `want` placed from a cell reading `want[key]`, flagged as placed by shape. */
function expectPlacedByShape(
  placed: Record<string, { cell: { text: string }; ambiguous?: boolean }>,
  want: Record<string, string>,
): void {
  for (const [key, text] of Object.entries(want)) {
    expect(placed[key]?.cell.text).toBe(text);
    expect(placed[key]?.ambiguous).toBe(true);
  }
}

describe('mapReport on a fax whose labels OCR lost (standard mode, 98 lines an inch)', () => {
  /** Every label cell of 表三 garbled past its anchors; the digits still read. */
  const garbled = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)].map((row) =>
    row.map((cell) => {
      const text = typeof cell === 'string' ? cell : cell.text;
      if (/^-?\d+$/.test(text)) return cell;
      const junk = '和人上下' + String(text.length);
      return typeof cell === 'string' ? junk : { ...cell, text: junk };
    }),
  );
  const text = REPORT_TEXT_V2021.replace('政府信息公开工作年度报告', '政府信息公玫工作人年度报告');

  it('recognises the report by its title read with two characters wrong', () => {
    expect(text).not.toMatch(/政府信息公开(工作)?年度报告/);
    const r = mapReport([buildPage(text)], [buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })]);
    expect(r).not.toBeNull();
  });

  it('takes a deep grid of seven-number rows for 表三 by its shape, rows placed by their order', () => {
    const r = report([buildTable(garbled, { id: 'p2-t1' }), buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })], text);
    expect(r.mappedTableIds.applications).toEqual(['p2-t1']);
    // Every template row there, each with its numbers, none dropped: the order itself pins them.
    expect(value(r, 'applications.new_received.total')).toBe(690);
    expect(value(r, 'applications.denied_state_secret.natural_person')).toBe(5);
    expect(value(r, 'applications.carried_forward.public_welfare_org')).toBe(30);
  });

  it('flags every row placed by order once a row is lost: none silently takes the place of its neighbour', () => {
    // The fax dropped the 上年结转 row: the rows below it would each move up one.
    const lost = garbled.filter((_, i) => i !== 3);
    const r = report([buildTable(lost, { id: 'p2-t1' }), buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })], text);
    expect(r.mappedTableIds.applications).toEqual(['p2-t1']);
    const t3 = Object.values(r.cells).filter((c) => c.key.startsWith('applications.') && c.value !== null);
    expect(t3.length).toBeGreaterThan(150);
    expect(t3.filter((c) => c.flags.length === 0).map((c) => c.key)).toEqual([]);
  });

  it('places the （七）总计 row whose label read as digits (111 | 1) beside its seven values, flagged', () => {
    // 洪泽区 2024 standard: the row counted nine numbers and was skipped as no table-三 row.
    const digits = garbled.map((row) =>
      row[row.length - 1] === '587' && row.length === 8 ? ['111', '1', ...row.slice(1)] : row,
    );
    expect(digits.some((row) => row[0] === '111')).toBe(true);
    const r = report([buildTable(digits, { id: 'p2-t1' }), buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })], text);
    expect(value(r, 'applications.total_processed.total')).toBe(587);
    expect(value(r, 'applications.carried_forward.natural_person')).toBe(24);
    expect(r.cells['applications.total_processed.total']?.flags.length).toBeGreaterThan(0);
  });

  it('does not take a short numeric table (a budget) for 表三', () => {
    const r = mapReport([buildPage(text)], [buildTable(BUDGET_TABLE, { id: 'p1-t1' })]);
    expect(r?.mappedTableIds.applications ?? []).toEqual([]);
  });
});

describe('mapReport on 表二 whose item labels a fax garbled past matching (洪泽区 2024, fine mode)', () => {
  const t2 = (fees: string, caption = '第二十条第〈八) 项'): Table =>
    buildTable(
      [
        ['第 :十条第 (…-) 项'],
        ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
        ['人人', '0', '0', '0'],
        ['行收项泥性文人', '3', '0', '8'],
        [caption],
        ['信息内容', '本年收费金额〈单位;万元)'],
        [fees, '7545'],
      ],
      { id: 'p2-t1' },
    );

  it('places an item row by its mini-table: the next item under the caption with as many value cells, flagged', () => {
    const r = report([t2('行政再炎性收凤')]);
    expect(value(r, 'active_disclosure.admin_fees.fee_amount_wan')).toBe(7545);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(0);
    expect(value(r, 'active_disclosure.normative_docs.issued')).toBe(3);
    expect(value(r, 'active_disclosure.normative_docs.in_force')).toBe(8);
    for (const key of ['admin_fees.fee_amount_wan', 'regulations.issued', 'normative_docs.in_force'])
      expect(r.cells[`active_disclosure.${key}`]?.flags).toContain('ambiguous-parse');
  });

  it('takes the first value out of a label cell whose column rule was lost, and a row of values alone (淮安市 faxed)', () => {
    const r = report([
      buildTable(
        [
          ['第:条第人-)巩'],
          ['信息人窜1本年制发全歼', '4', '基和有这伯纹'],
          ['1', '0', '11'],
          ['行政是全文体 | 8', '26', '66'],
          ['第二十条第（五）项'],
          ['信息内容', '本年处理决定数量'],
          ['行政许可', '182'],
        ],
        { id: 'p3-t1' },
      ),
    ]);
    expect(value(r, 'active_disclosure.regulations.issued')).toBe(1);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(11);
    expect(value(r, 'active_disclosure.normative_docs.issued')).toBe(8);
    expect(value(r, 'active_disclosure.normative_docs.in_force')).toBe(66);
    for (const key of ['regulations.issued', 'normative_docs.issued', 'normative_docs.in_force'])
      expect(r.cells[`active_disclosure.${key}`]?.flags).toContain('ambiguous-parse');
  });

  it('reads a label cell holding a speck, the rule read as `|` and the label as the label (淮安市 fine, its column rule found)', () => {
    const r = report([
      buildTable(
        [
          ['第:条第人-)巩'],
          ['信息人和窒', '本人秆灿友件级', '4', '基和有这伯纹'],
          ['“ | 地剖', '1', '0', '11'],
          ['行政是全文体 | 8 1', '26', '66'],
          ['第二十条第（五）项'],
        ],
        { id: 'p3-t1' },
      ),
    ]);
    expect(value(r, 'active_disclosure.regulations.issued')).toBe(1);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(11);
    expect(value(r, 'active_disclosure.normative_docs.repealed')).toBe(26);
    expect(r.cells['active_disclosure.regulations.issued']?.flags).toContain('ambiguous-parse');
  });

  it('places the rows of mini-tables whose captions and labels a standard-mode fax garbled (洪泽区 2024), flagged', () => {
    // As read on the standard-mode fax: captions without 条第 or 第, 规章 read 出, 行政强制 read 42, 8 read X.
    const { values } = mapTableTwo(
      [
        buildTable(
          [
            [{ text: '第 |条省0)需', colSpan: 4 }],
            ['信息内容', '本年制发件数', '本和皇废止件数', '现行有效件数'],
            ['出', '0', '0', '0'],
            ['全上胶霸必放芭人用', '3', '0', 'X'],
            [{ text: '第.|条第下纳', colSpan: 4 }],
            ['信息内容', { text: '本年处理决定数量', colSpan: 3 }],
            ['生夏许可', { text: '187', colSpan: 3 }],
          ],
          { id: 'p2-t1' },
        ),
        buildTable(
          [
            [{ text: '弟十灰汕入)避', colSpan: 2 }],
            ['信息内容', '木皇处理决定数景'],
            ['人有收处本', '2776'],
            ['42', '4'],
            [{ text: '第 .上条第人八》项', colSpan: 2 }],
            ['信息内容', '本年收费金额〈单位，万元)'],
            ['生路再烛人上区过', '7545'],
          ],
          { id: 'p3-t1', page: 3 },
        ),
      ],
      'v2021',
    );
    const placed = Object.fromEntries(values.map((v) => [v.key.replace('active_disclosure.', ''), v]));
    const want = {
      'regulations.issued': '0',
      'normative_docs.issued': '3',
      'normative_docs.in_force': 'X', // read and caught as unparsable, not missing
      'admin_licensing.decisions': '187',
      'admin_penalty.decisions': '2776',
      'admin_compulsion.decisions': '4',
      'admin_fees.fee_amount_wan': '7545',
    };
    expectPlacedByShape(placed, want);
  });

  it('takes a 表二 whose captions and heading a fax garbled by its repeated 信息内容 rows (Noto Serif standard)', () => {
    // No 第二十条, 信息内容 read 介岂内容 / 舍忆内容 / 伟各内容 / 信息内窜; only 行政许可 read as printed.
    const wide = (text: string): CellSpec => ({ text, colSpan: 4 });
    const r = report([
      buildTable(
        [
          [wide('第上条多(项')],
          ['介岂内容', '本对.出娄件数', '术休成中.件数', '增行有化件数'],
          ['规避', '1', '0', '4'],
          ['行政嵌他寞文件', '0', '2', '15'],
          [wide('逢 .上条第 (1项')],
          ['舍忆内容', { text: '全人外处出估定数斌', colSpan: 3 }],
          ['行政许可', { text: '182', colSpan: 3 }],
          [wide('第“1条第(全) 需')],
          ['伟各内容', { text: '本条处岂居之数基', colSpan: 3 }],
          ['行收处J', { text: '0', colSpan: 3 }],
          ['和政党制', { text: '2', colSpan: 3 }],
        ],
        { id: 'p1-t1' },
      ),
    ]);
    expect(r.mappedTableIds.active_disclosure).toEqual(['p1-t1']);
    expect(value(r, 'active_disclosure.admin_licensing.decisions')).toBe(182);
    const shaped = { 'regulations.in_force': 4, 'normative_docs.in_force': 15, 'admin_compulsion.decisions': 2 };
    for (const [key, want] of Object.entries(shaped)) {
      expect(value(r, `active_disclosure.${key}`)).toBe(want);
      expect(r.cells[`active_disclosure.${key}`]?.flags).toContain('ambiguous-parse');
    }
  });

  it('takes captions and headers by their place when a standard-mode fax garbled both (淮安市 std, scanned)', () => {
    // As read: no 第二十条, no 信息内容; the header's words junk with a number in them (4.14); the labels
    // read as `1`; the last caption on page 3, its header on page 4.
    const scanned = (rows: (string | CellSpec)[][], id: string, page: number): Table => ({
      ...buildTable(rows, { id, page }),
      detection: 'raster',
    });
    const { values, notes } = mapTableTwo(
      [
        scanned(
          [
            [{ text: '必 |和有', colSpan: 4 }],
            ['人，， | 让', '4.14', '1 1人妇', '星人人和'],
            ['1', '1', '0', '11'],
            ['1', '8', '26', '60'],
            [{ text: '所下各下证，', colSpan: 4 }],
            ['人全，', { text: '人', colSpan: 3 }],
            ['1机可', { text: '7208', colSpan: 3 }],
            [{ text: '人', colSpan: 4 }],
          ],
          'p3-t1',
          3,
        ),
        scanned(
          [
            ['48', '本在外形状证终全'],
            ['行收处串各的公名', '398S7S8吧RTARY'],
            ['第 .1条第(八)出'],
            ['们起生管 “', '本人上蜗全入二位，和)'],
            ['们中上业几收费', '961716'],
          ],
          'p4-t1',
          4,
        ),
      ],
      'v2021',
    );
    const placed = Object.fromEntries(values.map((v) => [v.key.replace('active_disclosure.', ''), v]));
    const want = {
      'regulations.issued': '1',
      'regulations.in_force': '11',
      'normative_docs.repealed': '26',
      'admin_licensing.decisions': '7208',
      'admin_fees.fee_amount_wan': '961716',
    };
    expectPlacedByShape(placed, want);
    // 行政处罚 and 行政强制 read as one row: 行政处罚 is left missing, and no row takes its place.
    expect(placed['admin_penalty.decisions']).toBeUndefined();
    expect(placed['admin_compulsion.decisions']).toBeUndefined();
    expect(notes.some((n) => n.includes('admin_penalty left missing'))).toBe(true);
  });

  it('reads a caption whose first 第 was misread by the 二十条第 and item number left (Zen Hei std __1)', () => {
    const { values } = mapTableTwo(
      [
        buildTable(
          [
            ['规范性义件', '0', '0', '17'],
            [{ text: '条二十条第 (五) 吉', colSpan: 4 }],
            ['信息内容', '上一年项昌数早', '本年规/减', '处理块定数音'],
            ['行收认可', '73', '8', '75'],
          ],
          { id: 'p2-t1', page: 2 },
        ),
      ],
      'v2019',
    );
    const at = (key: string) => values.find((v) => v.key === `active_disclosure.${key}`);
    expect(at('admin_licensing.decisions')?.cell.text).toBe('75');
    expect(at('regulations.total_published')).toBeUndefined();
  });

  it('places a row whose label did not read when the next row names the item after it (Noto Serif fine)', () => {
    const table = (next: string) =>
      buildTable(
        [
          [{ text: '第 -二条第《一) 项', colSpan: 4 }],
          ['信午内容', '本和牛抽发件数', '本第废止件数', '现行有效件数'],
          ['', '1', '0', '4'],
          [next, '6', '2', '15'],
        ],
        { id: 'p1-t1', page: 1 },
      );
    const at = (values: readonly { key: string }[], key: string) =>
      values.find((v) => v.key === `active_disclosure.${key}`) as { cell: { text: string }; ambiguous?: boolean };
    const { values } = mapTableTwo([table('行政规范性文件')], 'v2021');
    expect(at(values, 'regulations.in_force')?.cell.text).toBe('4');
    expect(at(values, 'regulations.issued')?.ambiguous).toBe(true);
    expect(at(values, 'normative_docs.in_force')?.cell.text).toBe('15');
    // The row under it unread too: the two rows under the header are the mini-table's two items, each
    // placed by print order, flagged (faxrows4; it stayed missing before).
    const loose = mapTableTwo([table('')], 'v2021').values;
    expect(at(loose, 'regulations.issued')?.ambiguous).toBe(true);
    expect(at(loose, 'normative_docs.in_force')?.ambiguous).toBe(true);
  });

  it('places a row of blanks under a misread label when the next row names the item after it (synth-2019-0 faxed)', () => {
    const rows = (next: string) => [
      buildTable(
        [
          [{ text: '第一十条第〈一)》项', colSpan: 4 }],
          ['们总央容', '本年新制作数是', '本第新公开数蜡', '对外公开总数二'],
          ['枫革', '', '', ''],
          [next, '0', '0', '12'],
        ],
        { id: 'p1-t1', page: 1 },
      ),
    ];
    const blank = mapTableTwo(rows('执范性文件'), 'v2019').values.filter((v) => v.key.includes('.regulations.'));
    expect(blank.map((v) => [v.cell.text, v.ambiguous])).toEqual([
      ['', true],
      ['', true],
      ['', true],
    ]);
    // The next label unread too: the two rows fill the mini-table, so each takes its item by order, flagged.
    const loose = mapTableTwo(rows('人上下'), 'v2019').values.filter((v) => v.cell.row === 2);
    expect(loose.map((v) => [v.key, v.ambiguous])).toEqual(blank.map((v) => [v.key, true]));
  });

  it('places an item row with a value misread as words under its own item, not the next row (洪泽区 2023 std)', () => {
    // 规章's row read `0 | 一从 | 0` (a 0 read as words): it is 规章's, flagged, the words caught later;
    // 行政规范性文件's values are not 规章's.
    const { values } = mapTableTwo(
      [
        buildTable(
          [
            [{ text: '第.上策委0睦', colSpan: 4 }],
            ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
            ['上旭人', '0', '一从', '0'],
            ['和卜规证和站六从', '0', '4', '5'],
          ],
          { id: 'p2-t1', page: 2 },
        ),
      ],
      'v2021',
    );
    const at = (key: string) => values.find((v) => v.key === `active_disclosure.${key}`);
    expect(at('regulations.repealed')?.cell.text).toBe('一从');
    expect(at('regulations.in_force')?.ambiguous).toBe(true);
    expect(at('normative_docs.in_force')?.cell.text).toBe('5');
  });

  it('places nothing by shape with another number of cells or under no caption; an unlabelled last row by order, flagged', () => {
    // Without a label, the one row under (八)'s header, 表二's last, is its one item by order: flagged.
    const unlabelled = report([t2('')]).cells['active_disclosure.admin_fees.fee_amount_wan'];
    expect([unlabelled?.value, (unlabelled?.flags.length ?? 0) > 0]).toEqual([7545, true]);
    const none = report([buildTable([['行政再炎性收凤', '7545']], { id: 'p2-t1' })]);
    expect(none.cells['active_disclosure.admin_fees.fee_amount_wan']?.reason).toBe('missing');
    const wide = report([
      buildTable([['第二十条第（八）项'], ['信息内容', '本年收费金额'], ['行政再炎性收凤', '7545', '3']], {
        id: 'p2-t1',
      }),
    ]);
    expect(wide.cells['active_disclosure.admin_fees.fee_amount_wan']?.reason).toBe('missing');
  });
});

describe('mapReport on a 表二 mini-table a fax grid split (v2019)', () => {
  const fees = (headerRow: readonly string[]): Table =>
    buildTable([[{ text: '第二十条第（八）项', colSpan: 5 }], headerRow, ['行政事业性收费', '', '1', '0', '']], {
      id: 'p1-t1',
    });
  const text = REPORT_TEXT_V2021.replace('〔2021〕30号', '〔2019〕60号').replace(/2023/g, '2020');

  it('reads the caption split over two cells (信息 | 容) and places the values under their header words', () => {
    const r = report([fees(['信息', '容', '上一年项目数量', '本年增/减', ''])], text);
    expect(r.template.version).toBe('v2019');
    expect(value(r, 'active_disclosure.admin_fees.prev_year_items')).toBe(1);
    expect(value(r, 'active_disclosure.admin_fees.items_change')).toBe(0);
  });

  it('matches an item label read with its first character lost and three wrong by its anchor (synth-2019-0 faxed)', () => {
    const t2 = buildTable(
      [
        [{ text: '第二十条第（五）项', colSpan: 4 }],
        ['信总内容', '上- -咎项目教斌', '本年增/城', '处媳决定数出'],
        ['行政许吕', '95', '+4', '6'],
        ['他对外答邢服务亡项', '81', '0', '35'],
      ],
      { id: 'p1-t1' },
    );
    const r = report([t2], text);
    expect(value(r, 'active_disclosure.admin_licensing.prev_year_items')).toBe(95);
    expect(value(r, 'active_disclosure.other_external_services.decisions')).toBe(35);
  });

  it('flags values placed by order when the row has more cells than columns (no blank taken for a value silently)', () => {
    const r = report([fees(['信', '内容', '', '', ''])], text);
    expect(r.template.version).toBe('v2019');
    const cells = ['prev_year_items', 'items_change'].map((k) => r.cells[`active_disclosure.admin_fees.${k}`]);
    expect(cells.every((c) => c !== undefined && c.flags.length > 0)).toBe(true);
  });

  it('takes the value, not the blank, under a header word spanning two grid columns', () => {
    const t2 = buildTable(
      [
        [{ text: '第二十条第（一）项', colSpan: 5 }],
        ['信息内容', { text: '本年制发件数', colSpan: 2 }, '本年废止件数', '现行有效件数'],
        ['规章', '', '0', '0', '5'],
        ['行政规范性文件', '', '2', '0', '20'],
      ],
      { id: 'p1-t1' },
    );
    const r = report([t2]);
    expect(value(r, 'active_disclosure.normative_docs.issued')).toBe(2);
    expect(value(r, 'active_disclosure.normative_docs.in_force')).toBe(20);
    expect(value(r, 'active_disclosure.regulations.issued')).toBe(0);
  });
});
