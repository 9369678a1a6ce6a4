import { describe, expect, it } from 'vitest';
import { mapTableTwo } from '../../../core/report/map-table-two.js';
import { mapTableThree } from '../../../core/report/map-table-three.js';
import { buildTable } from '../../helpers/table-builder.js';

/**
 * A grid that took extra column lines from the table printed above it on the same page (Micro Hei
 * fine, v2019 faxed: 表二's tail and 表三 found as one 15-column grid).
 */
describe('table 三 rows with more cells than value columns', () => {
  const header = [
    [
      { text: '', colSpan: 4, rowSpan: 2 },
      { text: '自然人', rowSpan: 2 },
      { text: '法人或其他组织', colSpan: 9 },
      { text: '总计', rowSpan: 2 },
    ],
    [
      { text: '商业企业', colSpan: 2 },
      { text: '科研机构', colSpan: 3 },
      '社会公益组织',
      { text: '法律服务机构', colSpan: 2 },
      '其他',
    ],
  ];
  const row = (label: string, values: string[]) => [
    { text: label, colSpan: 4 },
    values[0]!,
    { text: values[1]!, colSpan: 2 },
    { text: values[2]!, colSpan: 2 },
    values[3]!,
    values[4]!,
    { text: values[5]!, colSpan: 2 },
    values[6]!,
    values[7]!,
  ];

  it('takes each value from the cell under its header, not the last seven cells', () => {
    const table = buildTable([...header, row('（一）予以公开', ['0', '', '', '', '', '', '36', '36'])], {
      id: 'p2-t1',
    });
    const { values } = mapTableThree([table], 'v2019');
    const at = (column: string) => values.find((v) => v.key === `applications.granted.${column}`);
    expect(at('natural_person')?.cell.text).toBe('0');
    expect(at('commercial_enterprise')?.cell.text).toBe('');
    expect(at('other_org')?.cell.text).toBe('36');
    expect(at('natural_person')?.ambiguous).toBeUndefined();
    // Writing in the cell under no header: which column it belongs to is a guess, so the row is flagged.
    const stray = buildTable([...header, row('（一）予以公开', ['0', '', '', '5', '', '', '36', '41'])], {
      id: 'p2-t1',
    });
    const flagged = mapTableThree([stray], 'v2019').values.find((v) => v.key === 'applications.granted.total');
    expect(flagged?.ambiguous).toBe(true);
  });
});

describe('table 二 rows under a header read in another table', () => {
  it("places the written cells in order, flagged, not by the other table's grid columns", () => {
    const before = buildTable(
      [[{ text: '第二十条第(六) 项', colSpan: 4 }], ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量']],
      { id: 'p1-t1' },
    );
    const after = buildTable(
      [
        [
          '行政处罚',
          { text: '248', colSpan: 3 },
          { text: '', colSpan: 2 },
          { text: '-2', colSpan: 4 },
          { text: '123', colSpan: 3 },
        ],
        [
          '行政强制',
          { text: '16', colSpan: 3 },
          { text: '', colSpan: 2 },
          { text: '+10', colSpan: 4 },
          '',
          { text: '', colSpan: 2 },
        ],
      ],
      { id: 'p2-t1', page: 2 },
    );
    const { values } = mapTableTwo([before, after], 'v2019');
    const at = (key: string) => values.find((v) => v.key === `active_disclosure.${key}`);
    expect(at('admin_penalty.prev_year_items')?.cell.text).toBe('248');
    expect(at('admin_penalty.decisions')?.cell.text).toBe('123');
    expect(at('admin_penalty.decisions')?.ambiguous).toBe(true);
    // Two written cells for three columns: the item stays missing rather than take a guess.
    expect(at('admin_compulsion.prev_year_items')).toBeUndefined();
  });
});
