import { readValue } from '../checks/evaluate-rule.js';
import { repairBySums, repairFewest, type Doubtful } from '../checks/repair-by-sums.js';
import type { SumRule } from '../checks/rules.js';
import type { ReportCell } from '../model/index.js';
import type { CellQuality } from './build-cells.js';
import { LOW_CONFIDENCE } from './confidence.js';

/** Cell flag of a value the exact sums chose among what its ink allows: a person confirms it. */
export const REPAIRED = 'repaired-by-sums';
/** A repaired value keeps at most this confidence: it is a suggestion the sums made, never a reading. */
const REPAIRED_CONFIDENCE = 0.3;
/** Flags that say a checked sum through the cell failed. */
const FAILED = /^(check-failed:|likely-culprit$)/;
const BLANK_AMONG_ZEROS = 'blank-among-zeros';

const digitsOf = (text: string): number => (text.match(/\d/g) ?? []).length;
/** One character, no digit: how the recogniser reads a lone digit it could not make out. */
const LONE_CHARACTER = /^\s*\S\s*$/u;

/** What the cell's ink allows, or null when nothing says how many digits it printed. */
function inkAllows(cell: ReportCell, q: CellQuality | undefined): Doubtful | null {
  const readings = [cell.value, ...(q?.alternatives ?? []).filter((t) => /^\d+$/.test(t)).map(Number)].filter(
    (v): v is number => v !== null && Number.isInteger(v) && v >= 0,
  );
  // A blank among printed zeros lost its ink to the fax: most often a lone 0.
  const lost = cell.value === null && cell.flags.includes(BLANK_AMONG_ZEROS) ? 1 : 0;
  const unique = [...new Set(readings)];
  // The page's digit shapes, where they cut the ink into as many digits as it printed.
  const shaped = (digits: number): { pattern?: string } => (q?.shapes?.length === digits ? { pattern: q.shapes } : {});
  if (q?.slots) return { digits: q.slots, exact: true, readings: unique, ...shaped(q.slots) };
  // A lone fax digit the recogniser took for a character (上 for 2, 雪 for 5) printed one digit.
  const digits = q?.glyphs ?? (cell.raw ? digitsOf(cell.raw) || (LONE_CHARACTER.test(cell.raw) ? 1 : 0) : lost);
  return digits > 0 ? { digits, readings: unique, ...shaped(digits) } : null;
}

/** The reading has the shapes' digit count and every digit they know. */
const fitsShapes = (read: string, shapes: string): boolean =>
  read.length === shapes.length && [...read].every((c, i) => shapes[i] === '?' || shapes[i] === c);

/** The reading contradicts its own ink: unreadable, a flagged blank, or fewer or more digits than glyphs. */
function misread(cell: ReportCell, q: CellQuality | undefined): boolean {
  if (cell.reason === 'unparsable') return true;
  if (cell.value === null) return q?.glyphs !== undefined || q?.slots !== undefined;
  const read = cell.raw ?? '';
  if (q?.shapes && !fitsShapes(read, q.shapes)) return true;
  if (q?.slots) return digitsOf(read) !== q.slots;
  if (q?.glyphs === undefined) return false;
  // A 0 whose flanks a fax split shows two glyphs.
  return digitsOf(read) > q.glyphs || digitsOf(read) + (read.match(/0/g) ?? []).length < q.glyphs;
}

/**
 * Failed exact sums repaired where the ink and the sums leave one answer (checks/repair-by-sums).
 * Unknowns are flagged OCR cells of the sums read with doubt (below the OCR flag threshold) or not
 * read at all, each allowed its readings or any value with as many digits as its ink printed: first
 * those whose reading contradicts its own ink, taken where one combination makes every sum through
 * them hold; then, among the cells of failed sums, the one cell or pair that alone mends them.
 * Only cells already flagged change, and they stay flagged (`repaired-by-sums`, low confidence): the
 * flags of every other cell are those of the values as read, so no value loses a flag by a repair.
 */
export function repairCells(
  cells: Readonly<Record<string, ReportCell>>,
  quality: Readonly<Record<string, CellQuality>>,
  rules: readonly SumRule[],
): Record<string, ReportCell> {
  const keys = new Set(rules.flatMap((r) => [...r.total, ...r.parts]));
  const values = new Map<string, number | null>();
  for (const k of keys) {
    const r = readValue(cells, k);
    values.set(k, r.known ? r.value : null);
  }
  const unknowns = (also: (cell: ReportCell) => boolean): Map<string, Doubtful> => {
    const out = new Map<string, Doubtful>();
    for (const k of keys) {
      const cell = cells[k];
      const q = quality[k];
      if (!cell || !q?.ocr || cell.flags.length === 0 || cell.reason === 'missing') continue;
      // A sure reading is what was printed, even where the printed sums fail (a report can be wrong).
      if (cell.value !== null && q.source >= LOW_CONFIDENCE) continue;
      if (!misread(cell, q) && !also(cell)) continue;
      // The recogniser and the page's sure digits read the same number: a value the sums build on
      // (it stays flagged as read), so each sum has fewer unknowns.
      if (q.shapes !== undefined && q.shapes === cell.raw && cell.value !== null) continue;
      const allows = inkAllows(cell, q);
      if (allows) out.set(k, allows);
    }
    return out;
  };
  const repaired = repairBySums({ rules, values, doubtful: unknowns(() => false) });
  for (const [k, v] of repaired) values.set(k, v);
  const more = unknowns((cell) => cell.flags.some((f) => FAILED.test(f) || f === BLANK_AMONG_ZEROS));
  for (const k of repaired.keys()) more.delete(k);
  for (const [k, v] of repairFewest({ rules, values, doubtful: more })) repaired.set(k, v);
  if (repaired.size === 0) return { ...cells };
  const out: Record<string, ReportCell> = { ...cells };
  for (const [k, value] of repaired) {
    const { reason: _reason, ...cell } = cells[k]!;
    out[k] = {
      ...cell,
      value,
      confidence: Math.min(cell.confidence, REPAIRED_CONFIDENCE),
      flags: [...cell.flags, REPAIRED],
    };
  }
  return out;
}
