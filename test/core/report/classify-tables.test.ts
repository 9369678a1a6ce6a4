import { describe, expect, it } from 'vitest';
import { classifyTables } from '../../../core/report/classify-tables.js';
import { buildTable } from '../../helpers/table-builder.js';
import { t3Numbers } from './fixtures.js';

/**
 * Half of a table 三 as a faxed 仿宋 report reads it (淮安市 2024, fax fine mode): three label
 * columns of unreadable glyphs, no anchor left, seven numbers a row.
 */
function garbledHalf(rows: number, seed: number, id: string) {
  const garbled = ['本和狂收上符', '和人站全二会', '外多人站本', '器业下小', '华扩吊三六'];
  return buildTable(
    Array.from({ length: rows }, (_, r) => [
      garbled[r % garbled.length]!,
      garbled[(r + 1) % garbled.length]!,
      garbled[(r + 2) % garbled.length]!,
      ...t3Numbers([(r * seed) % 9, r % 4, 0, (r + seed) % 3, 0, 1]),
    ]),
    { id },
  );
}

describe('classifyTables: table 三 by its shape when no label was read', () => {
  it('takes a 表三 split over two pages, each half under the depth that marks one alone', () => {
    const first = garbledHalf(13, 3, 'p4-t2');
    const second = garbledHalf(13, 5, 'p5-t1');
    const parts = classifyTables([first, second]);
    expect(parts.get(first)).toBe('t3');
    expect(parts.get(second)).toBe('t3');
  });

  it('leaves one half alone unclassified, and does not count a table 四 as its continuation', () => {
    const half = garbledHalf(13, 3, 'p4-t2');
    expect(classifyTables([half]).get(half)).toBeNull();
    const t4 = buildTable([Array.from({ length: 15 }, (_, i) => String(i))], { id: 'p5-t2' });
    const parts = classifyTables([half, t4]);
    expect(parts.get(half)).toBeNull();
    expect(parts.get(t4)).toBe('t4');
  });

  it('still takes one deep table alone', () => {
    const whole = garbledHalf(16, 3, 'p4-t2');
    expect(classifyTables([whole]).get(whole)).toBe('t3');
  });
});

describe('classifyTables: a section heading ends a continuation', () => {
  // 淮安市 2024 standard-mode fax: 表四's labels unread and one of its fifteen numbers misread, so its
  // value row is seven numbers and more, the shape of a 表三 row; the 四、 heading above it says which.
  const t3 = [garbledHalf(13, 3, 'p4-t2'), garbledHalf(13, 5, 'p5-t1')];
  const t4 = buildTable(
    [
      ['站的妈妈', ...Array.from({ length: 14 }, () => '人人')],
      ['72', '(4', '178', '37', '38', '13', '4', '1', '1', '26', '12', '1', '1', '6', '20'],
    ],
    { id: 'p5-t2' },
  );
  const scanned = { ...t4, detection: 'raster' as const };

  it('takes the table under a 四、 heading as 表四, not as 表三 continued', () => {
    const parts = classifyTables([...t3, scanned], new Map([...t3.map((t) => [t, 't3'] as const), [scanned, 't4']]));
    expect(parts.get(scanned)).toBe('t4');
    expect(parts.get(t3[1]!)).toBe('t3');
  });

  it('still continues 表三 when its own heading was missed (both halves under 二、)', () => {
    // 洪泽区 2023 standard: 三、收到和处理政府信息 | 开申请情况 read as two lines, no heading matched.
    const halves = t3.map((t) => ({ ...t, detection: 'raster' as const }));
    const parts = classifyTables(halves, new Map(halves.map((t) => [t, 't2'] as const)));
    expect(parts.get(halves[1]!)).toBe('t3');
  });

  it('still continues 表三 when no heading is known', () => {
    expect(classifyTables([...t3, scanned]).get(scanned)).toBe('t3');
  });
});

describe('classifyTables: table 二 by its garbled captions', () => {
  it('takes a table whose 第二十条 captions read garbled over item rows as 表二 (Noto Serif standard __1)', () => {
    const t2 = buildTable(
      [
        [{ text: '第 .小条第〈() 项', colSpan: 4 }],
        ['从六央窑', '本全新制作数供', '本对新公呈数殿', '对外公开总数大'],
        ['规碟', '', '', ''],
        ['规范性文件', '0', '0', '12'],
        [{ text: '第 .二条第 () 项', colSpan: 4 }],
        ['舍息内容', '1和信坟由数其', '本在增/诚', '处出决定数以'],
        ['行政许可', '95', '+4', '6'],
        ['长他村外管理服务条确', '81', '0', '35'],
      ],
      { id: 'p1-t1' },
    );
    expect(classifyTables([t2]).get(t2)).toBe('t2');
  });
});
