import { doubtfulReadings } from '../checks/doubtful-readings.js';
import type { Check, ReportCell } from '../model/index.js';
import type { CellQuality } from './build-cells.js';
import { cellConfidence, LOW_CONFIDENCE, type RuleEvidence } from './confidence.js';

/** The sums of table 三 and 四 (H2–H7): where they apply, an OCR reading must be checked by one. */
const SUM_RULES: ReadonlySet<string> = new Set(['H2', 'H3', 'H4', 'H5', 'H6', 'H7']);
/** The column sums of table 三. */
const COLUMN_RULES: ReadonlySet<string> = new Set(['H2', 'H4']);
/** A number the page's digit shapes read where the recogniser read otherwise: a classifier alone never makes a value trusted. */
const SHAPE_READ = "read by the page's digit shapes, not the recogniser";

/**
 * Only an exact sum that holds vouches for its values. A bound holds for most wrong readings too,
 * hard or soft: S1 passed a fax's 17 read as 4, and H10 (no outcome above 总计) a standard-mode
 * fax's 6 read as 0 in a row whose other cells were unreadable.
 */
const vouches = (check: Check): boolean => check.status === 'pass' && SUM_RULES.has(check.rule);

/** A report style that prints 0 for "none": at least this many zeros in 表三/表四… */
const MIN_PRINTED_ZEROS = 20;
/** …and blanks at most this share of the zero-or-blank cells (a fax can lose a whole column; reports mixing both styles run at 50 % and more). */
const MAX_BLANK_SHARE = 0.25;

/**
 * OCR blanks in a report that otherwise prints 0 for "none": the sums count a blank as 0, so a 0 (or
 * a whole number) lost to a dropout passes every rule; such a blank is flagged `blank-among-zeros`.
 * Reports that leave "none" blank, or mix both styles, are left alone.
 */
function blanksAmongZeros(
  cells: Readonly<Record<string, ReportCell>>,
  quality: Readonly<Record<string, CellQuality>>,
): Set<string> {
  const inTables = Object.values(cells).filter(
    (c) => c.key.startsWith('applications.') || c.key.startsWith('review_litigation.'),
  );
  const zeros = inTables.filter((c) => c.value === 0).length;
  const blanks = inTables.filter((c) => c.reason === 'blank');
  const style = zeros >= MIN_PRINTED_ZEROS && blanks.length <= MAX_BLANK_SHARE * (zeros + blanks.length);
  return new Set(style ? blanks.filter((c) => quality[c.key]?.ocr).map((c) => c.key) : []);
}

/** True when some part of the cell's 表三 row is non-zero: in a row of zeros a value in the wrong column changes nothing. */
function rowHolds(cells: Readonly<Record<string, ReportCell>>, key: string): boolean {
  const row = key.split('.').slice(0, 2).join('.');
  return Object.values(cells).some(
    (c) => c.key.startsWith(`${row}.`) && !c.key.endsWith('.total') && c.value !== null && c.value !== 0,
  );
}

/**
 * 表三 row totals pinned by their row: H3 holds with real numbers, and every part of the row was read
 * as a number that a column sum (H2 or H4) holding in its own column vouches for. Such a total is the
 * sum of checked values beside it, so neither a misread (17 and 20 both losing their 1 keep H3) nor a
 * wrong column (a part moved between columns keeps the row sum; the total does not move) can hide in
 * it. A row with a blank, unreadable or unchecked part is not pinned: a row read one column off (its
 * first part lost) can hold H3 by chance with a part in the total's place.
 */
function pinnedTotals(cells: Readonly<Record<string, ReportCell>>, checks: readonly Check[]): Set<string> {
  const columnHolds = new Set<string>();
  for (const check of checks)
    if (COLUMN_RULES.has(check.rule) && check.status === 'pass') check.keys.forEach((k) => columnHolds.add(k));
  const read = (k: string): boolean => cells[k]?.value !== null && cells[k]?.value !== undefined && columnHolds.has(k);
  const out = new Set<string>();
  for (const check of checks) {
    if (check.rule !== 'H3' || check.status !== 'pass' || check.trivial) continue;
    const total = check.keys.find((k) => k.endsWith('.total'));
    const parts = check.keys.filter((k) => k !== total);
    if (total && parts.length > 0 && parts.every(read)) out.add(total);
  }
  return out;
}

/** Cell flag of an OCR reading whose form leaves room for a silent misread (checks/doubtful-readings.ts), then why. */
export const DOUBTFUL = 'doubtful:';

/** Soft rules whose failure points at table cells (S1, S2, S4); S5 and S6 concern the text only. */
const CELL_SOFT_RULES: ReadonlySet<string> = new Set(['S1', 'S2', 'S4']);

/**
 * Folds the checks into the cells: every cell of a failed hard rule is flagged
 * (`check-failed:H3`), the culprit also `likely-culprit` with its suggestion; cells of failed
 * soft rules get `soft-check:S4`. Confidence then moves with the evidence, and cells still below
 * LOW_CONFIDENCE are flagged `low-confidence`. Cells only in passing rules get no flag; only hard
 * (exact) rules that pass raise a value's confidence.
 *
 * One exception keeps review work to what is needed: when the culprits explain every failed rule
 * of their table (findCulprits proved that one value, or one pair, changed, makes them all hold and
 * no other does), the other cells of those rules are cleared if an independent hard rule that
 * passes with them vouches for them too (a cell of the failing H3 row sits in a passing H4 column).
 * When the explanation is not unique nobody is named, and every cell stays flagged.
 *
 * An OCR reading no exact rule checks whose form leaves room for a silent misread (a decimal read
 * without its point, a change read without its sign) is flagged `doubtful:<why>`.
 *
 * An OCR reading of a table 三/四 cell whose sums were all skipped (a neighbour missing or
 * unreadable) is flagged `unverified`: nothing checked it, and a confident misread (a lost leading
 * digit on a fax) would otherwise pass as trusted.
 */
export function applyEvidence(
  cells: Readonly<Record<string, ReportCell>>,
  checks: readonly Check[],
  quality: Readonly<Record<string, CellQuality>>,
  text = '',
): Record<string, ReportCell> {
  const failedRules = new Map<string, Set<string>>();
  const softRules = new Map<string, Set<string>>();
  const culprits = new Map<string, number>();
  const passed = new Set<string>();
  const trivial = new Set<string>();
  /** Keys of exact sums that hold (vouches). */
  const vouched = new Set<string>();
  for (const check of checks) if (vouches(check)) check.keys.forEach((k) => vouched.add(k));
  /** Per key, whether some sum rule covering it was evaluated (true) or all were skipped (false). */
  const summed = new Map<string, boolean>();
  /** Per 表三 key, whether a column sum (H2, H4) covering it was evaluated: a row sum (H3) holds whichever column a value sits in. */
  const columnSummed = new Map<string, boolean>();
  for (const check of checks)
    if (SUM_RULES.has(check.rule))
      for (const k of check.keys) {
        summed.set(k, (summed.get(k) ?? false) || check.status !== 'skipped');
        if (COLUMN_RULES.has(check.rule))
          columnSummed.set(k, (columnSummed.get(k) ?? false) || check.status !== 'skipped');
      }
  // findCulprits puts the whole explanation on every failed check it explains.
  for (const check of checks)
    if (check.status === 'fail') for (const fix of check.culprits ?? []) culprits.set(fix.key, fix.value);
  const explained = (check: Check, key: string): boolean =>
    check.keys.some((k) => culprits.has(k)) && !culprits.has(key) && vouched.has(key);
  const add = (map: Map<string, Set<string>>, key: string, rule: string): void => {
    const set = map.get(key) ?? new Set<string>();
    set.add(rule);
    map.set(key, set);
  };
  for (const check of checks) {
    if (check.status === 'fail' && check.hard) {
      for (const k of check.keys) if (!explained(check, k)) add(failedRules, k, check.rule);
    } else if (check.status === 'fail' && CELL_SOFT_RULES.has(check.rule))
      check.keys.forEach((k) => add(softRules, k, check.rule));
    else if (vouches(check)) check.keys.forEach((k) => (check.trivial ? trivial : passed).add(k));
  }
  const lostZeros = blanksAmongZeros(cells, quality);
  const pinned = pinnedTotals(cells, checks);
  const doubts = doubtfulReadings(
    cells,
    (k) => quality[k]?.ocr === true,
    text,
    (k) => quality[k]?.signless === true,
  );
  const out: Record<string, ReportCell> = {};
  for (const [key, cell] of Object.entries(cells)) {
    if (cell.reason === 'missing') {
      out[key] = cell;
      continue;
    }
    const flags = new Set(cell.flags);
    const q: CellQuality = quality[key] ?? { source: cell.confidence, parse: 1 };
    // A count whose separators were read as points (4.597): an exact sum holding with the regrouped
    // value (4597) fixes it, as it vouches for any reading; only the form was in doubt.
    if (q.regrouped && passed.has(key) && !failedRules.has(key)) flags.delete('ambiguous-parse');
    const failed = failedRules.get(key);
    failed?.forEach((rule) => flags.add(`check-failed:${rule}`));
    softRules.get(key)?.forEach((rule) => flags.add(`soft-check:${rule}`));
    const isCulprit = culprits.has(key);
    if (isCulprit) flags.add('likely-culprit');
    const evidence: RuleEvidence = isCulprit
      ? 'culprit'
      : failed
        ? 'failed'
        : passed.has(key)
          ? 'passed'
          : trivial.has(key)
            ? 'trivial'
            : 'none';
    // A value read into the wrong column of its row (a fax grid misread) keeps the row sum: with every
    // column sum of its column skipped, nothing says it sits where it was read.
    // An all-zero row holds its sum trivially: two 2s of one row read as 0s (a fax) keep it too.
    const rowSaysLittle = rowHolds(cells, key) || trivial.has(key);
    // A total its row pins is not: an unreadable cell elsewhere in the 总计 column (一 read as 上) skipped
    // that column's sums, and every total of the report was flagged for it (20 of 200 cells, a real report).
    if (q.ocr && (summed.get(key) === false || (columnSummed.get(key) === false && rowSaysLittle && !pinned.has(key))))
      flags.add('unverified');
    if (lostZeros.has(key)) flags.add('blank-among-zeros');
    const doubt =
      doubts.get(key) ??
      (q.lookalike && evidence === 'none' ? 'a digit read as a look-alike letter' : undefined) ??
      (q.shapeRead ? SHAPE_READ : undefined);
    if (doubt) flags.add(`${DOUBTFUL}${doubt}`);
    const confidence = Math.min(cellConfidence(q.source, q.parse, evidence), doubt ? LOW_CONFIDENCE : 1);
    if (confidence < LOW_CONFIDENCE && flags.size === 0) flags.add('low-confidence');
    const suggestion = culprits.get(key);
    out[key] = {
      ...cell,
      confidence,
      flags: [...flags],
      ...(isCulprit && suggestion !== undefined ? { suggestion } : {}),
    };
  }
  return out;
}
