import { describe, expect, it } from 'vitest';
import { repairBySums, repairFewest, type Doubtful } from '../../../core/checks/repair-by-sums.js';
import { rulesFor, type SumRule } from '../../../core/checks/rules.js';
import { T3_COLUMNS, schemaKeys } from '../../../core/report/schema.js';
import { HUAIAN_2024 } from '../../helpers/huaian-2024.js';

const key = (row: string, col = 'natural_person'): string => `applications.${row}.${col}`;
const sums = rulesFor('v2021').filter((r): r is SumRule => r.kind === 'sum');

/** 淮安市 2024's 表三 as printed, with some cells as a fax read them. */
function values(read: Readonly<Record<string, number | null>>): Map<string, number | null> {
  const v = new Map<string, number | null>(schemaKeys('v2021').map((k) => [k, 0]));
  for (const [row, nums] of Object.entries(HUAIAN_2024)) nums.forEach((n, i) => v.set(key(row, T3_COLUMNS[i]), n));
  for (const [k, n] of Object.entries(read)) v.set(k, n);
  return v;
}

const doubt = (digits: number, ...readings: number[]): Doubtful => ({ digits, readings });

describe('repairBySums on 淮安市 2024 表三 as a fine-mode fax read it', () => {
  it('puts back the 4s a fax thinned to 1s when the sums fix each of them', () => {
    // 447 read as 1 and 454 as 1 (3 glyphs each), 34 as 31 in the carried-over row and its total.
    const read = {
      [key('partially_granted')]: 1,
      [key('partially_granted', 'total')]: 1,
      [key('carried_over')]: 31,
      [key('carried_over', 'total')]: 31,
    };
    const doubtful = new Map([
      [key('partially_granted'), doubt(3, 1)],
      [key('partially_granted', 'total'), doubt(3, 1)],
      [key('carried_over'), doubt(2, 31)],
      [key('carried_over', 'total'), doubt(2, 31)],
    ]);
    const repaired = repairBySums({ rules: sums, values: values(read), doubtful });
    expect(Object.fromEntries(repaired)).toEqual({
      [key('partially_granted')]: 447,
      [key('partially_granted', 'total')]: 454,
      [key('carried_over')]: 34,
      [key('carried_over', 'total')]: 34,
    });
  });

  it('reads a 3001 that came back as 2 and a blank total back from the column and row sums', () => {
    const read = { [key('new_received')]: 2, [key('new_received', 'total')]: null };
    const doubtful = new Map([
      [key('new_received'), doubt(4, 2)],
      [key('new_received', 'total'), doubt(4)],
    ]);
    const repaired = repairBySums({ rules: sums, values: values(read), doubtful });
    expect(repaired.get(key('new_received'))).toBe(3001);
    expect(repaired.get(key('new_received', 'total'))).toBe(3119);
  });

  it('repairs nothing when two combinations make every sum hold', () => {
    // A rectangle of doubtful cells: moving d between its corners keeps both row sums and both column sums.
    const doubtful = new Map([
      [key('granted'), doubt(4, 12)],
      [key('granted', 'commercial_enterprise'), doubt(2, 21)],
      [key('partially_granted'), doubt(3, 1)],
      [key('partially_granted', 'commercial_enterprise'), doubt(1)],
    ]);
    const read = { [key('granted')]: 12, [key('partially_granted')]: 1 };
    expect(repairBySums({ rules: sums, values: values(read), doubtful }).size).toBe(0);
  });

  it("…but repairs them when the page's digit shapes know some of their digits", () => {
    // The same rectangle: 12?8 and 4?7 allow only moves by tens, and the 7 beside them holds one digit.
    const doubtful = new Map([
      [key('granted'), { ...doubt(4, 12), pattern: '12?8' }],
      [key('granted', 'commercial_enterprise'), doubt(2, 21)],
      [key('partially_granted'), { ...doubt(3, 1), pattern: '4?7' }],
      [key('partially_granted', 'commercial_enterprise'), doubt(1)],
    ]);
    const read = { [key('granted')]: 12, [key('partially_granted')]: 1 };
    expect(Object.fromEntries(repairBySums({ rules: sums, values: values(read), doubtful }))).toEqual({
      [key('granted')]: 1288,
      [key('partially_granted')]: 447,
    });
  });

  it('repairs nothing when the value the sums need has more digits than the ink shows', () => {
    // 447 read as 1 but only one glyph seen: 447 is not what that ink can hold.
    const read = { [key('partially_granted')]: 1 };
    const doubtful = new Map([[key('partially_granted'), doubt(1, 1)]]);
    expect(repairBySums({ rules: sums, values: values(read), doubtful }).size).toBe(0);
  });

  it('uses no rule whose other cells are unreadable, and takes the value one sum alone forces', () => {
    const doubtful = new Map([[key('partially_granted'), doubt(3, 1)]]);
    // Row sum and outcome column (H4) both hold 447: fixed by one, checked by the other.
    expect(repairBySums({ rules: sums, values: values({ [key('partially_granted')]: 1 }), doubtful })).toEqual(
      new Map([[key('partially_granted'), 447]]),
    );
    // The row sum is unusable (a neighbour unreadable): H4 alone fixes 447. The 1 contradicted its
    // three digits of ink; the repair is a suggestion and stays flagged (repair-cells).
    const read = { [key('partially_granted')]: 1, [key('partially_granted', 'commercial_enterprise')]: null };
    expect(repairBySums({ rules: sums, values: values(read), doubtful })).toEqual(
      new Map([[key('partially_granted'), 447]]),
    );
    // …but not a value the ink cannot hold: H4 alone would need 447 of one digit.
    const one = new Map([[key('partially_granted'), doubt(1, 1)]]);
    expect(repairBySums({ rules: sums, values: values(read), doubtful: one }).size).toBe(0);
  });

  it('takes no value from a sum whose other values are wrong when a second sum contradicts it', () => {
    // 746 read as 116 and trusted; the blank total the row sum would fix (139) breaks the total column (H4).
    const read = { [key('unable_not_held')]: 116, [key('unable_not_held', 'total')]: null };
    const doubtful = new Map([[key('unable_not_held', 'total'), doubt(3)]]);
    expect(repairBySums({ rules: sums, values: values(read), doubtful }).size).toBe(0);
  });

  it('leaves a cell that already reads right unchanged (nothing to repair)', () => {
    const doubtful = new Map([[key('granted', 'other_org'), doubt(1, 3)]]);
    expect(repairBySums({ rules: sums, values: values({}), doubtful }).size).toBe(0);
  });
});

describe('repairFewest on 淮安市 2024 表三 with fax misreads among flagged cells', () => {
  // Every cell of the failed sums is flagged, so every one is a suspect; only the fewest changes that mend them count.
  const suspects = (keys: readonly string[], read: Readonly<Record<string, number | null>>): Map<string, Doubtful> =>
    new Map(keys.map((k) => [k, doubt(String(values(read).get(k) ?? 0).length, values(read).get(k) ?? 0)]));
  const row = (r: string): string[] => T3_COLUMNS.map((c) => key(r, c));

  it('mends a 0 read as 11 (one cell breaks its row and its column) and leaves the rest', () => {
    const read = { [key('denied_law_prohibited', 'public_welfare_org')]: 11 };
    const doubtful = new Map([...suspects(row('denied_law_prohibited'), read)]);
    doubtful.set(key('denied_law_prohibited', 'public_welfare_org'), doubt(1, 11));
    const repaired = repairFewest({ rules: sums, values: values(read), doubtful });
    expect(Object.fromEntries(repaired)).toEqual({ [key('denied_law_prohibited', 'public_welfare_org')]: 0 });
  });

  it('mends a part and its row total that lost the same digit (46 read as 4 twice) as a pair', () => {
    const read = { [key('partially_granted', 'commercial_enterprise')]: 1, [key('partially_granted', 'total')]: 448 };
    const doubtful = suspects(row('partially_granted'), read);
    doubtful.set(key('partially_granted', 'commercial_enterprise'), doubt(1, 1));
    const repaired = repairFewest({ rules: sums, values: values(read), doubtful });
    expect(Object.fromEntries(repaired)).toEqual({
      [key('partially_granted', 'commercial_enterprise')]: 7,
      [key('partially_granted', 'total')]: 454,
    });
  });

  it('names nobody when two cells of a failed sum each mend it', () => {
    // Two zeros of one row read as 1 where neither column is checked by a second sum: 2 → 0 in either works.
    const read = { [key('np_publication', 'natural_person')]: 1, [key('np_publication', 'total')]: 0 };
    const doubtful = new Map([
      [key('np_publication', 'natural_person'), doubt(1, 1)],
      [key('np_publication', 'total'), doubt(1, 0)],
    ]);
    const repaired = repairFewest({ rules: sums, values: values(read), doubtful });
    // natural_person → 0 mends H3 and keeps H4; total → 1 mends H3 but breaks H4 (总计 column): one answer.
    expect(Object.fromEntries(repaired)).toEqual({ [key('np_publication', 'natural_person')]: 0 });
  });
});
