// Unit tests of the hand-written shortcuts: the query planner (indexed equality must not
// scan), the direct update path (must agree with mingo's updater) and partial BSON decoding.
import { describe, expect, it } from 'vitest';
import { Binary, Decimal128, deserialize, Long, ObjectId, serialize, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { applySimpleUpdate } from '../../embedded-mongo/query/apply-simple-update.js';
import { checkUpdate } from '../../embedded-mongo/query/check-update.js';
import { buildPathTrie, decodeFields } from '../../embedded-mongo/storage/decode-fields.js';
import type { IndexInfo } from '../../embedded-mongo/storage/index-spec.js';
import { indexKeysOf } from '../../embedded-mongo/storage/index-spec.js';
import { planQuery } from '../../embedded-mongo/storage/plan-query.js';

const index = (name: string, key: Record<string, number>, extra: Partial<IndexInfo['spec']> = {}): IndexInfo => ({
  spec: { name, key, ...extra },
  fields: Object.keys(key),
  table: `x_${name}`,
});
const bySha = index('sha256_1', { sha256: 1 }, { unique: true });
const byYearIssuer = index('year_issuer', { year: 1, issuer: 1 });
const byCode = index('code_1', { code: 1 }, { sparse: true });

describe('planQuery', () => {
  it('uses _id, then a unique index, for equality filters', () => {
    expect(planQuery({ _id: 5 }, [bySha])).toMatchObject({ kind: 'id', exact: true });
    expect(planQuery({ sha256: 'a' }, [byYearIssuer, bySha])).toMatchObject({
      kind: 'index',
      index: bySha,
      keys: ['s"a"'],
      exact: true,
    });
    expect(planQuery({ sha256: { $in: ['a', 'b'] }, status: 'done' }, [bySha])).toMatchObject({
      kind: 'index',
      keys: ['s"a"', 's"b"'],
      exact: false,
    });
  });

  it('falls back to the leading fields of a compound index when the others have no equality', () => {
    expect(planQuery({ year: 2023, issuer: { $gt: 'a' } }, [byYearIssuer])).toMatchObject({
      kind: 'prefix',
      prefixes: ['n2023'],
      exact: false,
    });
    expect(planQuery({ issuer: 'x' }, [byYearIssuer])).toMatchObject({ kind: 'scan' });
    expect(planQuery({ year: 2023, issuer: 'x' }, [byYearIssuer])).toMatchObject({ kind: 'index', exact: true });
  });

  it('still runs the filter for null, which matches missing fields but not empty arrays', () => {
    expect(planQuery({ sha256: null }, [bySha])).toMatchObject({ kind: 'index', exact: false });
  });

  it('needs every field of a compound index for an index plan (a leading field alone gives a key range)', () => {
    expect(planQuery({ year: 2023 }, [byYearIssuer])).toMatchObject({ kind: 'prefix', exact: false });
    expect(planQuery({ $and: [{ year: 2023 }, { issuer: 'x' }] }, [byYearIssuer])).toMatchObject({
      kind: 'index',
      keys: ['n2023|s"x"'],
      exact: false,
    });
  });

  it('scans when a lookup could miss matches', () => {
    expect(planQuery({ sha256: /a/ }, [bySha])).toEqual({ kind: 'scan' });
    expect(planQuery({ sha256: { $gt: 'a' } }, [bySha])).toEqual({ kind: 'scan' });
    expect(planQuery({ sha256: ['a'] }, [bySha])).toEqual({ kind: 'scan' });
    expect(planQuery({ code: null }, [byCode])).toEqual({ kind: 'scan' });
  });

  it('indexes numbers by value and arrays by element, as MongoDB matches them', () => {
    expect(indexKeysOf({ year: 2023.0, issuer: ['a', 'b'] }, byYearIssuer)).toEqual(['n2023|s"a"', 'n2023|s"b"']);
    expect(indexKeysOf({}, byCode)).toEqual([]);
    expect(indexKeysOf({}, bySha)).toEqual(['z']);
  });
});

describe('applySimpleUpdate', () => {
  const base = (): Document => deserialize(serialize({ _id: 1, a: { b: 1, c: 'x' }, n: 5, keep: [1, 2], s: 'v' }));
  const cases: Document[] = [
    { $set: { 'a.b': 2, s: 'w' } },
    { $set: { s: 'v' } },
    { $set: { 'new.deep.field': { k: 1 } } },
    { $unset: { 'a.c': '', missing: '' } },
    { $inc: { n: -2, fresh: 3 } },
    { $set: { a: { z: 1 } }, $inc: { n: 1 } },
  ];

  for (const modifier of cases) {
    it(`agrees with mingo for ${JSON.stringify(modifier)}`, () => {
      const fast = base();
      const slow = base();
      // The simple path receives check-update's output ($inc computed into a $set).
      const modified = applySimpleUpdate(fast, checkUpdate(fast, modifier));
      const changed = mingoUpdate(slow, modifier);
      expect(fast).toEqual(slow);
      expect(modified).toBe(changed.length > 0);
    });
  }

  it('defers to mingo for arrays and positional paths; check-update refuses overlaps and bad $inc', () => {
    expect(applySimpleUpdate(base(), { $set: { 'keep.0': 9 } })).toBeUndefined();
    expect(applySimpleUpdate(base(), { $set: { 'keep.x': 9 } })).toBeUndefined();
    expect(applySimpleUpdate(base(), { $push: { keep: 3 } })).toBeUndefined();
    expect(() => checkUpdate(base(), { $set: { a: 1, 'a.b': 2 } })).toThrow(/would create a conflict/);
    expect(() => checkUpdate(base(), { $inc: { s: 1 } })).toThrow(/non-numeric type string/);
  });
});

describe('decodeFields', () => {
  it('decodes exactly the requested paths, whatever the types around them', () => {
    const doc = {
      _id: new ObjectId(),
      skipMe: {
        big: 'x'.repeat(1000),
        re: /a+/i,
        when: new Date(0),
        n: Long.fromNumber(2 ** 40),
        d: Decimal128.fromString('1.5'),
      },
      report: { year: 2023, issuer: '某市政府', values: [{ k: 1 }, { k: 2 }] },
      tags: ['a', 'b'],
      nothing: null,
      bin: new Binary(Buffer.from([1, 2, 3])),
      last: 7,
    };
    const raw = Buffer.from(serialize(doc));
    const full = deserialize(raw);
    expect(decodeFields(raw, buildPathTrie(['report.year', 'last']))).toEqual({ report: { year: 2023 }, last: 7 });
    expect(decodeFields(raw, buildPathTrie(['tags', 'nothing', 'report.values.k']))).toEqual({
      tags: ['a', 'b'],
      nothing: null,
      report: { values: full.report.values },
    });
    expect(decodeFields(raw, buildPathTrie(['missing', 'last.deeper']))).toEqual({ last: 7 });
    expect(decodeFields(raw, buildPathTrie(['bin', '_id']))).toEqual({ bin: full.bin, _id: full._id });
  });
});
