// A plain top-level $set (what docq's upserts send) takes a fast path on the server: the
// client's bytes are spliced into the stored document. The same update with a no-op $unset
// takes the general path; both must store the same bytes and report the same counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, ObjectId, type Document } from 'mongodb';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('plainset');
});
afterAll(async () => {
  await h.close();
});

const created = new Date('2026-01-02T03:04:05Z');

/** Applies one upsert both ways (fast: $set only; general: plus a no-op $unset). */
async function both(filter: Document, set: Document, onInsert?: Document): Promise<void> {
  const fast = h.db.collection('fast');
  const general = h.db.collection('general');
  const spec = onInsert ? { $set: set, $setOnInsert: onInsert } : { $set: set };
  const a = await fast.updateOne(filter, spec, { upsert: true });
  const b = await general.updateOne(filter, { ...spec, $unset: { not_there: '' } }, { upsert: true });
  expect({ ...a, upsertedId: undefined }).toEqual({ ...b, upsertedId: undefined });
  const rawA = (await fast.find(filter, { raw: true, projection: { _id: 0 } }).toArray()) as unknown as Buffer[];
  const rawB = (await general.find(filter, { raw: true, projection: { _id: 0 } }).toArray()) as unknown as Buffer[];
  expect(rawA.length).toBe(1);
  expect(Buffer.from(rawA[0] as Buffer).equals(Buffer.from(rawB[0] as Buffer))).toBe(true);
}

describe('plain $set fast path', () => {
  it('stores the same bytes and counts as the general path', async () => {
    await h.db.collection('fast').createIndex({ key: 1 }, { unique: true });
    await h.db.collection('general').createIndex({ key: 1 }, { unique: true });
    await h.db.collection('fast').createIndex({ status: 1 });
    await h.db.collection('general').createIndex({ status: 1 });
    const body = {
      status: 'done',
      n: 1,
      d: 0.5,
      big: 2 ** 40,
      s: 'héllo 表三',
      nested: { a: [1, 2, { b: 'c' }], when: created, none: null },
      oid: new ObjectId('64b7f0000000000000000001'),
      dec: Decimal128.fromString('1.25'),
      flag: true,
    };
    await both({ key: 'k1' }, body, { createdAt: created });
    // Replay: unchanged, then changed fields, numerically equal scalars, new fields appended.
    await both({ key: 'k1' }, body, { createdAt: new Date() });
    await both({ key: 'k1' }, { ...body, status: 'needs_review', n: new Double(1), added: [] });
    await both({ key: 'k1' }, { d: new Double(2), long: Long.fromNumber(7), i: new Int32(3) });
    await both({ key: 'k1' }, { nested: { a: [] }, s: 'x' });
    // Filter with _id and with null _id.
    await both({ _id: 'id-1', key: 'k2' } as Document, { v: 1 });
    await both({ _id: null, key: 'k3' } as Document, { v: 2 });
    expect(await h.db.collection('fast').countDocuments({ status: 'needs_review' })).toBe(1);
    expect(await h.db.collection('fast').countDocuments({ status: 'done' })).toBe(0);
  });

  it('handles several $set statements in one command, kept raw or not', async () => {
    const col = h.db.collection('fast_bulk');
    const ops = [
      { updateOne: { filter: { k: 1 }, update: { $set: { s: 'a', x: 0.5 } }, upsert: true } },
      { updateOne: { filter: { k: 2 }, update: { $set: { s: 'b', l: Long.fromNumber(5) } }, upsert: true } },
      { updateOne: { filter: { k: 3 }, update: { $set: { s: 'c', n: { deep: [1, 'two'] } } }, upsert: true } },
    ];
    expect((await col.bulkWrite(ops)).upsertedCount).toBe(3);
    const again = await col.bulkWrite(
      ops.map((op) => ({ updateOne: { ...op.updateOne, update: { $set: { ...op.updateOne.update.$set, s: 'z' } } } })),
    );
    expect(again).toMatchObject({ matchedCount: 3, modifiedCount: 3 });
    expect(
      await col
        .find({}, { projection: { _id: 0 } })
        .sort({ k: 1 })
        .toArray(),
    ).toEqual([
      { k: 1, s: 'z', x: 0.5 },
      { k: 2, s: 'z', l: 5 },
      { k: 3, s: 'z', n: { deep: [1, 'two'] } },
    ]);
  });

  it('reports a duplicate key from the fast path like the general one', async () => {
    const fast = h.db.collection('fast_dup');
    await fast.createIndex({ key: 1 }, { unique: true });
    await fast.insertMany([{ key: 'a' }, { key: 'b' }]);
    await expect(fast.updateOne({ key: 'a' }, { $set: { key: 'b', x: 1 } })).rejects.toMatchObject({
      code: 11000,
      keyValue: { key: 'b' },
    });
    expect(await fast.findOne({ key: 'a' }, { projection: { _id: 0 } })).toEqual({ key: 'a' });
    // A single-statement insert whose document row went in before its index entry failed
    // leaves nothing behind; so does a fast-path upsert.
    await expect(fast.insertOne({ key: 'b', other: 1 })).rejects.toMatchObject({ code: 11000 });
    await expect(fast.updateOne({ other: 2 }, { $set: { key: 'a' } }, { upsert: true })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await fast.countDocuments()).toBe(2);
  });
});
