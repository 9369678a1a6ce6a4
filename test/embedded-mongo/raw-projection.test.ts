// A projection of whole top-level fields is cut from the stored bytes (query/project-raw.ts); the
// same projection with an extra path that matches nothing goes through mingo. Both must give the
// same documents with the same number types, through the real driver. Field order is the stored
// one, as MongoDB keeps it (mingo moves an included _id to the end).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON, Decimal128, Double, Int32, Long, ObjectId, type Document } from 'mongodb';
import { rawProjection } from '../../embedded-mongo/query/project-raw.js';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('rawprojection');
  await h.db.collection('reports').insertMany([
    {
      _id: new ObjectId('64b7f0000000000000000001'),
      sha256: 'a'.repeat(64),
      cells: [{ key: 'k', value: new Double(2), raw: '2', flags: [], source: { page: 1 } }],
      checks: [{ rule: 'H3', expected: null, actual: new Int32(4) }],
      corrections: { 'x:y': { value: 3, at: new Date('2026-01-02T03:04:05Z') } },
      big: Long.fromNumber(2 ** 40),
      dec: Decimal128.fromString('1.25'),
      s: 'héllo 表三',
      none: null,
      flag: false,
    },
    { _id: 'second', sha256: 'b'.repeat(64), cells: [], s: 'x' },
    { sha256: 'c'.repeat(64) },
  ]);
});
afterAll(async () => {
  await h?.close();
});

async function raw(projection: Document): Promise<Buffer[]> {
  const docs = await h.db.collection('reports').find({}, { raw: true, projection }).sort({ sha256: 1 }).toArray();
  return (docs as unknown as Uint8Array[]).map((d) => Buffer.from(d));
}

describe('top-level projections cut from the stored bytes', () => {
  it.each([
    [
      { cells: 1, corrections: 1 },
      { cells: 1, corrections: 1, 'nothing.here': 1 },
    ],
    [
      { _id: 0, cells: 1, s: 1 },
      { _id: 0, cells: 1, s: 1, 'nothing.here': 1 },
    ],
    [
      { checks: 0, dec: 0 },
      { checks: 0, dec: 0, 'nothing.here': 0 },
    ],
    [
      { _id: 0, checks: 0, flag: false },
      { _id: 0, checks: 0, flag: false, 'nothing.here': 0 },
    ],
    [{ _id: 1 }, { _id: 1, 'nothing.here': 1 }],
    [{ _id: 0 }, { _id: 0, 'nothing.here': 0 }],
    [
      { cells: true, missing: 1 },
      { cells: true, missing: 1, 'nothing.here': 1 },
    ],
  ])('%j gives what mingo gives', async (fast, general) => {
    expect(rawProjection(fast)).not.toBeNull();
    expect(rawProjection(general)).toBeNull();
    const [a, b] = [await raw(fast), await raw(general)];
    expect(a.length).toBe(3);
    const typed = (doc: Buffer): Document => BSON.deserialize(doc, { promoteValues: false });
    a.forEach((doc, i) => expect(typed(doc)).toStrictEqual(typed(b[i]!)));
    const keys = Object.keys(typed(a[0]!));
    const stored = Object.keys(typed((await raw({ nothing: 0 }))[0]!));
    expect(keys).toEqual(stored.filter((k) => keys.includes(k)));
  });

  it('leaves operators, paths and mixed projections to mingo', () => {
    expect(rawProjection({ 'cells.key': 1 })).toBeNull();
    expect(rawProjection({ cells: { $slice: 2 } })).toBeNull();
    expect(rawProjection({ cells: 1, checks: 0 })).toBeNull();
    expect(rawProjection({ s: 'yes' })).toBeNull();
    expect(rawProjection({})).toBeNull();
  });
});
