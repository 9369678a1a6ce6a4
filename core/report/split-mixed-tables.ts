import type { Table } from '../model/index.js';
import { normalizeLabel } from './normalize-label.js';
import { readRows } from './read-rows.js';
import { T3_HEADER_ANCHORS, T3_TABLE_ANCHORS, t3Anchor } from './schema.js';

/** Row text that opens table 四 (its header, or the fragments left of a vertical header). */
const T4_START = /行政复议|行政诉讼|复议后起诉|直接起诉|结果维持|尚未审结/;
const VERTICAL_FRAGMENT = /^(结果维持|结果纠正|其他结果|尚未审结|总计|[结果维持纠正其他尚未审总计])$/;
/** A vertical header leaves at least this many one-character fragments in a row. */
const MIN_FRAGMENTS = 4;
/** Rows that open table 三 (its header or first data rows). */
const T3_START = new RegExp([...T3_HEADER_ANCHORS, t3Anchor('new_received')].join('|'));
const T3_ROW = new RegExp(T3_TABLE_ANCHORS.filter((a) => !T3_HEADER_ANCHORS.includes(a)).join('|'));
const T2_ROW = /第二十条|信息内容/;

function startsT4(label: string, texts: readonly string[]): boolean {
  if (T4_START.test(label)) return true;
  const nonBlank = texts.filter((t) => t !== '');
  return nonBlank.length >= MIN_FRAGMENTS && nonBlank.every((t) => VERTICAL_FRAGMENT.test(t));
}

/**
 * Splits a table that holds two standard tables (adjacent grids read as one when a heading is
 * missing, e.g. table 三 running straight into table 四). The parts keep the table's id and the
 * cells keep their row numbers, so every value still points at its real cell.
 */
export function splitMixedTables(tables: readonly Table[]): Table[] {
  return tables.flatMap((table) => {
    const rows = readRows(table);
    const texts = rows.map((r) => r.cells.map((c) => normalizeLabel(c.text)));
    const labels = texts.map((t) => t.join(''));
    const cuts: number[] = [];
    let seenT2 = false;
    let seenT3 = false;
    labels.forEach((label, i) => {
      const cells = texts[i] ?? [];
      if (seenT3 && startsT4(label, cells)) {
        if (!cuts.includes(i)) cuts.push(i);
        seenT3 = false;
      } else if (seenT2 && T3_START.test(label)) {
        cuts.push(i);
        seenT2 = false;
      }
      if (T2_ROW.test(label)) seenT2 = true;
      if (T3_ROW.test(label)) seenT3 = true;
    });
    if (cuts.length === 0) return [table];
    const bounds = [0, ...cuts, Number.POSITIVE_INFINITY];
    return bounds.slice(0, -1).map((from, i) => {
      const to = bounds[i + 1] ?? Number.POSITIVE_INFINITY;
      return { ...table, cells: table.cells.filter((c) => c.row >= from && c.row < to) };
    });
  });
}
