import type { Cell, Table } from '../model/index.js';
import { alignByColumns, centreOf } from './align-by-columns.js';
import type { MappedPart, MappedValue } from './mapped-value.js';
import { isLabelText, parseNumber } from './parse-number.js';
import { readRows } from './read-rows.js';
import { T4_KEYS } from './schema.js';

/** Sub-header fragments of table 四 (vertical text keeps only some characters, so match loosely). */
const SUBHEADER_RE = /^(结果维持|结果纠正|其他结果|尚未审结|总计|维持|纠正|审结|持|正|果|结|计)$/;

/** A fifteen-cell row with at most this many cells read as words is the data row (the header row is all words). */
const MAX_GARBLED = 3;

/**
 * Maps table 四 by value order: the data row holding 15 values (the last such row), whatever the
 * header looked like (vertical, truncated, or missing). A row with fewer cells is placed under
 * the 15 sub-header columns when those were found.
 */
export function mapTableFour(tables: readonly Table[]): MappedPart {
  const notes: string[] = [];
  if (tables.length === 0) return { values: [], notes };
  const rows = tables.flatMap((t) => readRows(t));
  // Value cells: everything that is not label text (blanks and unparsable junk keep their slot).
  // A row of exactly fifteen cells with a number is the data row however a few cells read (`TT一` for
  // 0, `出`: label text by their ideographs); each cell keeps its column, a garbled one is caught unparsable.
  const valueCells = (cells: readonly Cell[]): Cell[] =>
    cells.length === T4_KEYS.length &&
    cells.some((c) => parseNumber(c.text).ok) &&
    cells.filter((c) => isLabelText(c.text)).length <= MAX_GARBLED
      ? [...cells]
      : cells.filter((c) => !isLabelText(c.text));
  const full = rows.filter((r) => valueCells(r.cells).length >= T4_KEYS.length);
  const withNumbers = full.filter((r) => r.cells.some((c) => parseNumber(c.text).ok));
  const chosen = withNumbers[withNumbers.length - 1] ?? full[full.length - 1];
  if (chosen) {
    if (withNumbers.length > 1) notes.push('table 四: several 15-value rows; the last one is used');
    // A row read with words in it is doubtful as a whole: its cells are flagged, not only the garbled one.
    const garbled = chosen.cells.length === T4_KEYS.length && chosen.cells.some((c) => isLabelText(c.text));
    return { values: place(valueCells(chosen.cells).slice(-T4_KEYS.length), chosen.table.id, garbled), notes };
  }
  const header = rows.find(
    (r) => r.cells.length === T4_KEYS.length && r.cells.every((c) => SUBHEADER_RE.test(c.text.replace(/\s+/g, ''))),
  );
  const data = rows.filter((r) => r.values.length > 0 && r.values.some((c) => parseNumber(c.text).ok)).pop();
  if (!data) return { values: [], notes: ['table 四: no data row'] };
  if (header) {
    const slots = alignByColumns(data.values, header.cells.map(centreOf));
    return { values: place(slots, data.table.id, false), notes };
  }
  notes.push(`table 四: data row has ${data.values.length} values and no sub-header to align them`);
  const slots: (Cell | null)[] = [...T4_KEYS.slice(data.values.length).map(() => null), ...data.values];
  return { values: place(slots, data.table.id, true), notes };
}

function place(slots: readonly (Cell | null)[], tableId: string, ambiguous: boolean): MappedValue[] {
  const out: MappedValue[] = [];
  slots.forEach((cell, i) => {
    const key = T4_KEYS[i];
    if (cell && key) out.push({ key: `review_litigation.${key}`, cell, tableId, ...(ambiguous ? { ambiguous } : {}) });
  });
  return out;
}
