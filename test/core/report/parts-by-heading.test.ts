import { describe, expect, it } from 'vitest';
import type { Page, Table } from '../../../core/model/index.js';
import { classifyTables } from '../../../core/report/classify-tables.js';
import { partsByHeading } from '../../../core/report/parts-by-heading.js';
import { buildPage, buildTable } from '../../helpers/table-builder.js';
import { t3Numbers } from './fixtures.js';

/** Lines as the standard-mode fax of synth-2019-2 read them (98 lines an inch): the bold headings survive. */
const PAGE_ONE = [
  '本报吕根据一电化大民且得国归府个中公开革例《议下简称某例 ) 相国攻隐办',
  '“、总体情况',
  '、王动公开政府信息情况',
].join('\n');
const PAGE_TWO = ')0J4034 1310 11 FROM 0511 83901008政 [ 消公合 P002/003\n:、收到和处再政府信息公开由请情况';

/** A 表三 whose labels the fax left unreadable: garbled text, seven numbers a row (9 rows: too few for its shape alone). */
function garbledT3(id: string, page: number, y0: number): Table {
  const rows = Array.from({ length: 9 }, (_, r) => ['和各上加类这各性个', ...t3Numbers([r, 0, 0, 1, 0, r % 3])]);
  const t = buildTable(rows, { id, page, origin: 'ocr' });
  return { ...t, detection: 'raster', box: { ...t.box, y0, y1: y0 + 300 } };
}

/** A 表二 piece under garbled labels: label + up to three cells, some numbers. */
function garbledT2(id: string, page: number, y0: number): Table {
  const t = buildTable([['人了人(IN'], ['人人', '48', '2', '全外'], ['|时，', '11', '0', '0']], {
    id,
    page,
    origin: 'ocr',
  });
  return { ...t, detection: 'raster', box: { ...t.box, y0, y1: y0 + 100 } };
}

/** buildPage puts line i at y = 14·i. */
const page = (text: string, n: number): Page => ({ ...buildPage(text, n), method: 'ocr' });

describe('partsByHeading: tables under section headings read with misread characters (standard-mode fax)', () => {
  const pages = [page(PAGE_ONE, 1), page(PAGE_TWO, 2)];

  it('gives each table the part of the last heading above it, across pages', () => {
    const t2 = garbledT2('p1-t1', 1, 100);
    const t2next = garbledT2('p2-t1', 2, 5);
    const t3 = garbledT3('p2-t2', 2, 60);
    const headed = partsByHeading(pages, [t2, t2next, t3]);
    expect([headed.get(t2), headed.get(t2next), headed.get(t3)]).toEqual(['t2', 't2', 't3']);
  });

  it('classifies the tables no anchor placed by their heading, when their shape fits the part', () => {
    const t2 = garbledT2('p1-t1', 1, 100);
    const t3 = garbledT3('p2-t2', 2, 60);
    expect([...classifyTables([t2, t3]).values()]).toEqual([null, null]);
    const parts = classifyTables([t2, t3], partsByHeading(pages, [t2, t3]));
    expect([parts.get(t2), parts.get(t3)]).toEqual(['t2', 't3']);
    // A 表二-shaped table under the 表三 heading is not taken for 表三.
    const misplaced = garbledT2('p2-t3', 2, 400);
    expect(classifyTables([misplaced], partsByHeading(pages, [misplaced])).get(misplaced)).toBeNull();
  });

  it('does not take the heading words inside a prose line, nor a table of a text layer', () => {
    const prose = page(
      '全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议',
      1,
    );
    const t3 = garbledT3('p1-t1', 1, 100);
    expect(partsByHeading([prose], [t3]).size).toBe(0);
    const ruled = { ...garbledT3('p2-t2', 2, 60), detection: 'ruled' as const };
    expect(classifyTables([ruled], partsByHeading(pages, [ruled])).get(ruled)).toBeNull();
  });
});
