import type { SumRule } from './rules.js';

/**
 * What the ink of a doubtful cell allows: how many glyphs it printed (its upright glyphs, or the
 * digits read when the glyphs were not counted) and readings the recogniser saw. A value is a
 * candidate when it is one of the readings or fits that many glyphs.
 */
export interface Doubtful {
  readonly digits: number;
  /** `digits` counts the digits themselves (by the page's digit pitch), not glyphs a split 0 doubles. */
  readonly exact?: boolean;
  readonly readings: readonly number[];
  /**
   * Each digit as the page's own sure digits classify the ink (`?` where they cannot tell): a value
   * that is none of the readings must fit it, so a four-digit cell with one unknown digit has ten
   * candidates, not ten thousand.
   */
  readonly pattern?: string;
}

export interface RepairInput {
  /** Exact sums (H2–H7) to satisfy. */
  readonly rules: readonly SumRule[];
  /** Every value as read (null: blank, unreadable or missing). */
  readonly values: ReadonlyMap<string, number | null>;
  /** The cells whose value may change, with what their ink allows. */
  readonly doubtful: ReadonlyMap<string, Doubtful>;
}

/** Branch only on cells with at most this many candidates (one or two digits, or listed readings). */
const MAX_BRANCH = 100;
/** Give up on a group of cells after this many search steps: no repair is better than a slow one. */
const MAX_STEPS = 20_000;

type Assignment = Map<string, number>;

const keysOf = (r: SumRule): string[] => [...r.total, ...r.parts];

/** Zeros whose two flanks a fax split count two glyphs each: a value may show up to one more glyph a 0. */
function fitsGlyphs(v: number, glyphs: number): boolean {
  const text = String(v);
  const zeros = (text.match(/0/g) ?? []).length;
  return text.length <= glyphs && text.length + zeros >= glyphs;
}

const fitsPattern = (v: number, pattern: string): boolean =>
  String(v).length === pattern.length && [...String(v)].every((c, i) => pattern[i] === '?' || pattern[i] === c);

function allows(d: Doubtful, v: number): boolean {
  if (!Number.isInteger(v) || v < 0) return false;
  if (d.readings.includes(v)) return true;
  if (d.pattern) return fitsPattern(v, d.pattern);
  return d.exact ? String(v).length === d.digits : fitsGlyphs(v, d.digits);
}

/** Values the pattern's unknown digits can make (null when too many to branch on). */
function patternValues(pattern: string): number[] | null {
  const open = [...pattern].filter((c) => c === '?').length;
  if (10 ** open > MAX_BRANCH) return null;
  return Array.from({ length: 10 ** open }, (_, i) => {
    let k = 0;
    const fill = String(i).padStart(open, '0');
    return [...pattern].map((c) => (c === '?' ? fill[k++]! : c)).join('');
  })
    .filter((t) => String(Number(t)) === t)
    .map(Number);
}

function candidates(d: Doubtful): number[] | null {
  const readings = d.readings.filter((v) => allows(d, v));
  if (d.pattern) {
    const fills = patternValues(d.pattern);
    return fills ? [...new Set([...readings, ...fills])] : null;
  }
  if (10 ** d.digits > MAX_BRANCH) return null;
  const span = Array.from({ length: 10 ** d.digits }, (_, i) => i).filter((v) => allows(d, v));
  return [...new Set([...readings, ...span])];
}

/** Groups of doubtful cells that share a rule (directly or through other doubtful cells), with their rules. */
function groups(input: RepairInput, usable: readonly SumRule[]): { keys: string[]; rules: SumRule[] }[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const k of input.doubtful.keys()) parent.set(k, k);
  for (const rule of usable) {
    const ks = [...rule.total, ...rule.parts].filter((k) => input.doubtful.has(k));
    for (const k of ks.slice(1)) parent.set(find(k), find(ks[0]!));
  }
  const out = new Map<string, { keys: string[]; rules: SumRule[] }>();
  for (const k of input.doubtful.keys()) {
    const g = out.get(find(k)) ?? { keys: [], rules: [] };
    g.keys.push(k);
    out.set(find(k), g);
  }
  for (const rule of usable) {
    const k = [...rule.total, ...rule.parts].find((x) => input.doubtful.has(x));
    if (k) out.get(find(k))!.rules.push(rule);
  }
  return [...out.values()].filter((g) => g.rules.length > 0);
}

/**
 * Fills in every open cell a rule leaves alone (a rule with one open cell fixes it), in place.
 * False when some rule cannot hold (its cells all known and unequal, or the value it needs is not
 * one the cell's ink allows).
 */
function propagate(a: Assignment, rules: readonly SumRule[], input: RepairInput): boolean {
  for (let changed = true; changed;) {
    changed = false;
    for (const rule of rules) {
      let open: { key: string; sign: number } | null = null;
      let opens = 0;
      let balance = 0;
      for (const [list, sign] of [
        [rule.total, 1],
        [rule.parts, -1],
      ] as const)
        for (const k of list) {
          const v = valueIn(a, k, input);
          if (v === undefined) {
            opens++;
            open = { key: k, sign };
          } else balance += sign * v;
        }
      if (opens === 0 && balance !== 0) return false;
      if (opens !== 1 || !open) continue;
      const need = -balance * open.sign;
      if (!allows(input.doubtful.get(open.key)!, need)) return false;
      a.set(open.key, need);
      changed = true;
    }
  }
  return true;
}

const valueIn = (a: Assignment, k: string, input: RepairInput): number | undefined =>
  input.doubtful.has(k) ? a.get(k) : (input.values.get(k) ?? 0);

/**
 * All assignments of a group's cells (at most two: more are not needed to know it is not unique)
 * that make every one of its rules hold: rules fix what they can, and the search branches on the
 * open cell with the fewest candidates only when no rule does. Null when the search could not
 * finish (a cell of three or more digits no rule fixes, or too many steps).
 */
function solve(keys: readonly string[], rules: readonly SumRule[], input: RepairInput): Assignment[] | null {
  const solutions: Assignment[] = [];
  let steps = 0;
  let unfinished = false;
  const visit = (start: Assignment): void => {
    if (solutions.length >= 2 || unfinished) return;
    if (++steps > MAX_STEPS) {
      unfinished = true;
      return;
    }
    const a = new Map(start);
    if (!propagate(a, rules, input)) return;
    const rest = keys.filter((k) => !a.has(k));
    if (rest.length === 0) {
      solutions.push(a);
      return;
    }
    const options = rest
      .map((k) => ({ k, c: candidates(input.doubtful.get(k)!) }))
      .filter((o): o is { k: string; c: number[] } => o.c !== null)
      .sort((x, y) => x.c.length - y.c.length)[0];
    if (!options) {
      unfinished = true;
      return;
    }
    for (const v of options.c) visit(new Map([...a, [options.k, v]]));
  };
  visit(new Map());
  return unfinished ? null : solutions;
}

/**
 * Values the rules force whatever the group's other cells turn out to be (a rule whose other cells
 * are known or forced fixes its last one). Such a value is as good as the other values of its sum,
 * which is why it only ever replaces a reading that contradicts its own ink and stays flagged: a
 * misread 12 taken as 1, an unreadable 2, are no better left as read. Empty when the rules contradict.
 */
function forced(rules: readonly SumRule[], input: RepairInput): Assignment {
  const a: Assignment = new Map();
  return propagate(a, rules, input) ? a : new Map();
}

/**
 * Values that make failed exact sums hold, chosen among what each doubtful cell's ink allows, kept
 * only where exactly one combination of a group of doubtful cells makes every sum through them hold
 * and the sums over-determine the group (each cell in two sums, more sums than cells); otherwise
 * the values the sums force (hand-written: a few dozen integer unknowns under linear sums with digit-count domains, which
 * no constraint library in the registry solves more plainly). A rule with a missing value outside
 * the doubtful cells says nothing and is left out. Key → repaired value, only where it changed.
 */
export function repairBySums(input: RepairInput): Map<string, number> {
  const usable = input.rules.filter((r) =>
    [...r.total, ...r.parts].every((k) => input.doubtful.has(k) || input.values.get(k) != null),
  );
  const out = new Map<string, number>();
  for (const g of groups(input, usable)) {
    // A value one sum fixes is only as good as the other values of that sum: each must also be
    // checked by a second sum, and the group must have a check more than it has unknowns: a sum,
    // or a cell whose digit shapes already know some of its digits (the answer must fit them).
    const checked = g.keys.every((k) => g.rules.filter((r) => keysOf(r).includes(k)).length >= 2);
    const shaped = g.keys.filter((k) => /\d/.test(input.doubtful.get(k)!.pattern ?? '')).length;
    const solutions = checked && g.rules.length + shaped > g.keys.length ? solve(g.keys, g.rules, input) : null;
    // Not one answer for the whole group: still the values its rules force.
    const chosen = solutions?.length === 1 ? solutions[0]! : solutions?.length === 0 ? null : forced(g.rules, input);
    for (const [k, v] of chosen ?? []) if (input.values.get(k) !== v) out.set(k, v);
  }
  return out;
}

/** The rule holds on these values (false when one of them is unknown). */
function holds(rule: SumRule, values: ReadonlyMap<string, number | null>): boolean {
  let balance = 0;
  for (const k of rule.total) balance += values.get(k) ?? NaN;
  for (const k of rule.parts) balance -= values.get(k) ?? NaN;
  return balance === 0;
}

/** Every way of choosing `k` of the keys, in order. */
function* choose(keys: readonly string[], k: number, from = 0): Generator<string[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= keys.length - k; i++)
    for (const rest of choose(keys, k - 1, i + 1)) yield [keys[i]!, ...rest];
}

/**
 * Failed exact sums explained by the fewest doubtful cells: a cell, else a pair of cells sharing a
 * sum, whose values (within what their ink allows, exactly one value each) make every sum
 * through them hold, each cell in two sums. A failed sum that two such explanations would mend
 * names nobody; an explanation is taken only when no other explains any of the sums it mends.
 * Key → value.
 */
export function repairFewest(input: RepairInput, most = 2): Map<string, number> {
  const usable = input.rules.filter((r) =>
    keysOf(r).every((k) => input.doubtful.has(k) || input.values.get(k) != null),
  );
  const values = new Map(input.values);
  const through = (k: string): SumRule[] => usable.filter((r) => keysOf(r).includes(k));
  const out = new Map<string, number>();
  for (let size = 1; size <= most; size++) {
    const failed = usable.filter((r) => !holds(r, values));
    const suspects = [...new Set(failed.flatMap(keysOf))].filter(
      (k) => input.doubtful.has(k) && through(k).length >= 2,
    );
    const hits: { values: Assignment; mends: SumRule[] }[] = [];
    for (const subset of choose(suspects, size)) {
      if (size > 1 && !usable.some((r) => subset.every((k) => keysOf(r).includes(k)))) continue;
      const rules = [...new Set(subset.flatMap(through))];
      const doubtful = new Map(subset.map((k) => [k, input.doubtful.get(k)!]));
      const solutions = solve(subset, rules, { ...input, values, doubtful });
      if (solutions === null) continue;
      const changing = solutions.filter((a) => subset.every((k) => a.get(k) !== values.get(k)));
      if (changing.length === 1) hits.push({ values: changing[0]!, mends: rules.filter((r) => failed.includes(r)) });
    }
    const mendedBy = new Map<SumRule, number>();
    for (const h of hits) for (const r of h.mends) mendedBy.set(r, (mendedBy.get(r) ?? 0) + 1);
    for (const h of hits)
      if (h.mends.every((r) => mendedBy.get(r) === 1))
        for (const [k, v] of h.values) {
          out.set(k, v);
          values.set(k, v);
        }
  }
  return out;
}
