import { buildPage } from '../../helpers/table-builder.js';
import { describe, expect, it } from 'vitest';
import type { Cell, Page, Table, TextLine } from '../../../core/model/index.js';
import { stitchTables } from '../../../core/tables/stitch-tables.js';

function table(page: number, index: number, top: number, rows: string[][], xs: number[]): Table {
  const cells: Cell[] = [];
  rows.forEach((row, r) =>
    row.forEach((text, c) =>
      cells.push({
        row: r,
        col: c,
        rowSpan: 1,
        colSpan: 1,
        page,
        box: { x0: xs[c] as number, y0: top + r * 20, x1: xs[c + 1] as number, y1: top + (r + 1) * 20 },
        text,
        origin: 'text-layer',
        confidence: 1,
        shaded: false,
        vertical: false,
      }),
    ),
  );
  const box = { x0: xs[0] as number, y0: top, x1: xs[xs.length - 1] as number, y1: top + rows.length * 20 };
  return {
    id: `p${page}-t${index}`,
    pages: [page],
    rows: rows.length,
    cols: xs.length - 1,
    cells,
    detection: 'ruled',
    confidence: 0.95,
    box,
  };
}

function page(number: number, lines: { text: string; y: number }[] = []): Page {
  const textLines: TextLine[] = lines.map((l) => ({
    text: l.text,
    box: { x0: 60, y0: l.y, x1: 300, y1: l.y + 10 },
    origin: 'text-layer',
    confidence: 1,
  }));
  // The page shell comes from the shared builder; only the line positions matter here.
  return { ...buildPage('', number), lines: textLines };
}

const cols = [60, 200, 300, 400];

describe('stitchTables', () => {
  it('joins the bottom table of a page with the top table of the next when the columns agree', () => {
    const a = table(
      2,
      1,
      600,
      [
        ['label', 'a', 'b'],
        ['row 1', '1', '2'],
      ],
      cols,
    );
    const b = table(3, 1, 60, [['row 2', '3', '4']], cols);
    const [joined, ...rest] = stitchTables([a, b], [page(2, [{ text: '- 2 -', y: 800 }]), page(3)]);
    expect(rest).toEqual([]);
    expect(joined).toMatchObject({ id: 'p2-t1+p3-t1', pages: [2, 3], rows: 3, cols: 3 });
    expect(joined?.cells.filter((c) => c.row === 2).map((c) => [c.text, c.page])).toEqual([
      ['row 2', 3],
      ['3', 3],
      ['4', 3],
    ]);
  });

  it('drops a header row repeated on the continuation page', () => {
    const a = table(
      2,
      1,
      600,
      [
        ['label', 'a', 'b'],
        ['row 1', '1', '2'],
      ],
      cols,
    );
    const b = table(
      3,
      1,
      60,
      [
        ['label', 'a', 'b'],
        ['row 2', '3', '4'],
      ],
      cols,
    );
    const [joined] = stitchTables([a, b], [page(2), page(3)]);
    expect(joined?.rows).toBe(3);
    expect(joined?.cells.filter((c) => c.row === 2).map((c) => c.text)).toEqual(['row 2', '3', '4']);
  });

  it('maps a header cut above sub-columns onto the finer columns of the continuation', () => {
    const a = table(1, 1, 700, [['group', 'total']], [60, 300, 400]);
    const b = table(2, 1, 60, [['x', 'y', 'z']], cols);
    const [joined] = stitchTables([a, b], [page(1), page(2)]);
    expect(joined?.cols).toBe(3);
    expect(joined?.cells.find((c) => c.text === 'group')).toMatchObject({ col: 0, colSpan: 2 });
  });

  it('continues a row-spanning group label through an empty cell at the top of the next page', () => {
    const a = table(
      2,
      1,
      600,
      [
        ['group', 'row 1', '1'],
        ['', 'row 2', '2'],
      ],
      cols,
    );
    const group = a.cells[0];
    if (!group) throw new Error('no cell');
    const spanning: Table = {
      ...a,
      cells: [{ ...group, rowSpan: 2, box: { ...group.box, y1: 640 } }, ...a.cells.filter((c) => c.col > 0)],
    };
    const b = table(
      3,
      1,
      60,
      [
        ['', 'row 3', '3'],
        ['next', 'row 4', '4'],
      ],
      cols,
    );
    const [joined] = stitchTables([spanning, b], [page(2), page(3)]);
    expect(joined?.cells.find((c) => c.text === 'group')).toMatchObject({ row: 0, rowSpan: 3 });
    expect(joined?.cells.filter((c) => c.col === 0).map((c) => [c.text, c.row])).toEqual([
      ['group', 0],
      ['next', 3],
    ]);
  });

  it('keeps tables apart when columns differ, text lies between them, or pages are not consecutive', () => {
    const a = table(2, 1, 600, [['a', 'b', 'c']], cols);
    expect(stitchTables([a, table(3, 1, 60, [['a', 'b']], [60, 250, 400])], [page(2), page(3)])).toHaveLength(2);
    const heading = page(3, [{ text: '四、政府信息公开行政复议、行政诉讼情况', y: 30 }]);
    expect(stitchTables([a, table(3, 1, 60, [['x', 'y', 'z']], cols)], [page(2), heading])).toHaveLength(2);
    expect(stitchTables([a, table(4, 1, 60, [['x', 'y', 'z']], cols)], [page(2), page(4)])).toHaveLength(2);
  });
});
