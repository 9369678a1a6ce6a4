// Upserts with a replacement document (replaceOne, findOneAndReplace, bulkWrite) must insert a
// document with an _id — from the filter's _id equality, else the replacement's, else a new
// ObjectId — and report it as upserted, not matched. Operator upserts seed from the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('replupsert');
});
afterAll(async () => {
  await h.close();
});

describe('replacement upserts', () => {
  it('replaceOne inserts with a new ObjectId and reports upserted, not matched', async () => {
    const col = h.db.collection('repl_insert');
    const result = await col.replaceOne({ key: 'a' }, { key: 'a', v: 1 }, { upsert: true });
    expect(result).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(result.upsertedId).toBeInstanceOf(ObjectId);
    const stored = await col.find({}).toArray();
    expect(stored).toEqual([{ _id: result.upsertedId, key: 'a', v: 1 }]);
    expect(Object.keys(stored[0] ?? {})[0]).toBe('_id');
  });

  it('takes _id from the filter equality, else from the replacement', async () => {
    const col = h.db.collection<{ _id: unknown; v: number }>('repl_ids');
    const fromFilter = await col.replaceOne({ _id: 'f1' }, { v: 1 }, { upsert: true });
    expect(fromFilter).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 'f1' });
    const fromFilterEq = await col.replaceOne({ _id: { $eq: 'f2' } }, { v: 2 }, { upsert: true });
    expect(fromFilterEq.upsertedId).toBe('f2');
    const fromReplacement = await col.replaceOne({ v: 3 }, { _id: 'r3', v: 3 }, { upsert: true });
    expect(fromReplacement).toMatchObject({ upsertedCount: 1, upsertedId: 'r3' });
    expect(await col.find({}).sort({ v: 1 }).toArray()).toEqual([
      { _id: 'f1', v: 1 },
      { _id: 'f2', v: 2 },
      { _id: 'r3', v: 3 },
    ]);
    await expect(col.replaceOne({ _id: 'f4' }, { _id: 'other', v: 4 }, { upsert: true })).rejects.toMatchObject({
      code: 66,
    });
    expect(await col.countDocuments()).toBe(3);
  });

  it('replaceOne upsert that matches keeps the _id; a different _id is refused (66)', async () => {
    const col = h.db.collection('repl_match');
    const { upsertedId } = await col.replaceOne({ key: 'm' }, { key: 'm', v: 1 }, { upsert: true });
    const again = await col.replaceOne({ key: 'm' }, { key: 'm', v: 2 }, { upsert: true });
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect(await col.find({}).toArray()).toEqual([{ _id: upsertedId, key: 'm', v: 2 }]);
    const sameId = await col.replaceOne({ key: 'm' }, { _id: upsertedId, key: 'm', v: 3 }, { upsert: true });
    expect(sameId).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    await expect(
      col.replaceOne({ key: 'm' }, { _id: new ObjectId(), key: 'm', v: 4 }, { upsert: true }),
    ).rejects.toMatchObject({ code: 66 });
    expect(await col.find({}).toArray()).toEqual([{ _id: upsertedId, key: 'm', v: 3 }]);
  });

  it('bulkWrite with two replaceOne upserts on different keys under a unique index', async () => {
    const col = h.db.collection('repl_bulk');
    await col.createIndex({ key: 1 }, { unique: true });
    const result = await col.bulkWrite(
      [
        { replaceOne: { filter: { key: 'k1' }, replacement: { key: 'k1', v: 1 }, upsert: true } },
        { replaceOne: { filter: { key: 'k2' }, replacement: { key: 'k2', v: 2 }, upsert: true } },
      ],
      { ordered: false },
    );
    expect(result).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 2 });
    expect(Object.keys(result.upsertedIds)).toEqual(['0', '1']);
    const stored = await col.find({}).sort({ key: 1 }).toArray();
    expect(stored.map((doc) => [doc._id, doc.key])).toEqual([
      [result.upsertedIds[0], 'k1'],
      [result.upsertedIds[1], 'k2'],
    ]);
    expect(stored.every((doc) => doc._id instanceof ObjectId)).toBe(true);
  });

  it('findOneAndReplace upsert inserts with an _id and reports updatedExisting false', async () => {
    const col = h.db.collection('repl_fam');
    const inserted = await col.findOneAndReplace(
      { key: 'x' },
      { key: 'x', v: 1 },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(inserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(inserted.lastErrorObject?.upserted).toBeInstanceOf(ObjectId);
    expect(inserted.value).toEqual({ _id: inserted.lastErrorObject?.upserted, key: 'x', v: 1 });
    const fromFilter = await col.findOneAndReplace({ _id: 7 }, { key: 'y' }, { upsert: true, returnDocument: 'after' });
    expect(fromFilter).toEqual({ _id: 7, key: 'y' });
    const replaced = await col.findOneAndReplace(
      { key: 'x' },
      { key: 'x', v: 2 },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(replaced.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    expect(replaced.value).toEqual({ _id: inserted.lastErrorObject?.upserted, key: 'x', v: 2 });
    expect(await col.countDocuments()).toBe(2);
  });
});

describe('operator upserts', () => {
  it('copy the filter equalities (including _id) and apply $setOnInsert', async () => {
    const col = h.db.collection('op_upsert');
    const result = await col.updateOne(
      { _id: 'o1', kind: 'a', 'meta.src': { $eq: 's' }, n: { $gt: 1 }, name: /x/ },
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(result).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 'o1' });
    expect(await col.findOne({ _id: 'o1' })).toEqual({ _id: 'o1', kind: 'a', meta: { src: 's' }, v: 1, created: true });
    const noId = await col.findOneAndUpdate(
      { kind: 'b' },
      { $setOnInsert: { created: true } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(noId).toMatchObject({ kind: 'b', created: true });
    expect(noId?._id).toBeInstanceOf(ObjectId);
  });
});
