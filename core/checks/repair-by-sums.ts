import type { SumRule } from './rules.js';

/**
 * What the ink of a doubtful cell allows: how many digits it printed (its upright glyphs, or the
 * digits read when the glyphs were not counted) and readings the recogniser saw. A value is a
 * candidate when it is one of the readings or has exactly that many digits.
 */
export interface Doubtful {
  readonly digits: number;
  readonly readings: readonly number[];
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

function allows(d: Doubtful, v: number): boolean {
  if (!Number.isInteger(v) || v < 0) return false;
  return d.readings.includes(v) || String(v).length === d.digits;
}

function candidates(d: Doubtful): number[] | null {
  const lo = d.digits <= 1 ? 0 : 10 ** (d.digits - 1);
  const count = 10 ** d.digits - lo;
  if (count > MAX_BRANCH) return null;
  const span = Array.from({ length: count }, (_, i) => lo + i);
  return [...new Set([...d.readings.filter((v) => allows(d, v)), ...span])];
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
 * All assignments of a group's cells (at most two: more are not needed to know it is not unique)
 * that make every one of its rules hold: each rule left with one open cell fixes it, and the search
 * branches on the open cell with the fewest candidates only when no rule does. Null when the search
 * could not finish (a cell of three or more digits no rule fixes, or too many steps).
 */
function solve(keys: readonly string[], rules: readonly SumRule[], input: RepairInput): Assignment[] | null {
  const solutions: Assignment[] = [];
  let steps = 0;
  let unfinished = false;
  const valueOf = (a: Assignment, k: string): number | undefined =>
    input.doubtful.has(k) ? a.get(k) : (input.values.get(k) ?? 0);
  const visit = (start: Assignment): void => {
    if (solutions.length >= 2 || unfinished) return;
    if (++steps > MAX_STEPS) {
      unfinished = true;
      return;
    }
    const a = new Map(start);
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
            const v = valueOf(a, k);
            if (v === undefined) {
              opens++;
              open = { key: k, sign };
            } else balance += sign * v;
          }
        if (opens === 0 && balance !== 0) return;
        if (opens !== 1 || !open) continue;
        const need = -balance * open.sign;
        if (!allows(input.doubtful.get(open.key)!, need)) return;
        a.set(open.key, need);
        changed = true;
      }
    }
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
 * Values that make failed exact sums hold, chosen among what each doubtful cell's ink allows, kept
 * only where exactly one combination of a group of doubtful cells makes every sum through them hold
 * (hand-written: a few dozen integer unknowns under linear sums with digit-count domains, which
 * no constraint library in the registry solves more plainly). A rule with a missing value outside
 * the doubtful cells says nothing and is left out. Key → repaired value, only where it changed.
 */
export function repairBySums(input: RepairInput): Map<string, number> {
  const usable = input.rules.filter((r) =>
    [...r.total, ...r.parts].every((k) => input.doubtful.has(k) || input.values.get(k) != null),
  );
  const out = new Map<string, number>();
  for (const g of groups(input, usable)) {
    const solutions = solve(g.keys, g.rules, input);
    if (solutions?.length !== 1) continue;
    for (const [k, v] of solutions[0]!) if (input.values.get(k) !== v) out.set(k, v);
  }
  return out;
}
