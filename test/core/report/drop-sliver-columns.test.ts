import { describe, expect, it } from 'vitest';
import type { Cell, Table } from '../../../core/model/index.js';
import { dropSliverColumns } from '../../../core/report/drop-sliver-columns.js';
import { mapReport } from '../../../core/report/map-report.js';
import { buildPage, buildTable } from '../../helpers/table-builder.js';
import { REPORT_TEXT_V2021, T3_SAMPLE, t3BodyV2021, t3Header } from './fixtures.js';

/**
 * 表三 as the raster lattice returns it off a fax whose sensor streak ran beside the rule right of
 * 自然人 (洪泽区 2023 faxed): a blank column a few points wide after grid column `at`.
 */
function withSliver(table: Table, at: number): Table {
  const cells: Cell[] = [];
  const covered = new Set<number>();
  for (const c of table.cells) {
    const spans = c.col <= at && c.col + c.colSpan > at + 1;
    if (spans) for (let r = c.row; r < c.row + c.rowSpan; r++) covered.add(r);
    cells.push({ ...c, origin: 'ocr', col: c.col > at ? c.col + 1 : c.col, colSpan: c.colSpan + (spans ? 1 : 0) });
  }
  for (let r = 0; r < table.rows; r++) {
    const x = table.cells.find((c) => c.col === at && c.row === r)?.box.x1 ?? 0;
    if (!covered.has(r))
      cells.push({
        ...table.cells[0]!,
        row: r,
        col: at + 1,
        rowSpan: 1,
        colSpan: 1,
        text: '',
        origin: 'ocr',
        box: { x0: x, y0: 0, x1: x + 7, y1: 1 },
      });
  }
  return { ...table, cols: table.cols + 1, cells, detection: 'raster' };
}

describe('dropSliverColumns', () => {
  const clean = buildTable([...t3Header(), ...t3BodyV2021(T3_SAMPLE)], { id: 't3' });
  const slivered = withSliver(clean, 3);

  it('maps 表三 read with a streak sliver beside 自然人 as without it, provenance on the stored cells', () => {
    const r = mapReport([buildPage(REPORT_TEXT_V2021)], [slivered])!;
    expect(r.cells['applications.new_received.natural_person']).toMatchObject({ value: 120, source: { col: 3 } });
    expect(r.cells['applications.new_received.commercial_enterprise']).toMatchObject({ value: 70, source: { col: 5 } });
    expect(r.cells['applications.granted.total']?.value).toBe(440);
    expect(r.checks.filter((c) => c.status === 'fail' && c.hard)).toEqual([]);
  });

  it('keeps a blank column as wide as a printed one, and tables from a text layer', () => {
    const wide = withSliver(clean, 3);
    const widened = {
      ...wide,
      cells: wide.cells.map((c) => (c.col === 4 ? { ...c, box: { ...c.box, x1: c.box.x0 + 28 } } : c)),
    };
    expect(dropSliverColumns(widened).cols).toBe(wide.cols);
    expect(dropSliverColumns({ ...slivered, detection: 'ruled' }).cols).toBe(slivered.cols);
    expect(dropSliverColumns(slivered).cols).toBe(slivered.cols - 1);
  });
});
