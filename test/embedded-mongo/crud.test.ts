import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Double, Int32, Long, ObjectId } from 'mongodb';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('crud');
});
afterAll(async () => h.close());

describe('insert and find', () => {
  it('round-trips BSON types and assigns _id', async () => {
    const col = h.db.collection('types');
    const when = new Date('2024-05-01T00:00:00Z');
    const { insertedId } = await col.insertOne({
      s: '政府信息公开',
      n: 1.5,
      i: 42,
      d: when,
      nested: { a: [1, 2, { b: null }] },
      flag: true,
    });
    expect(insertedId).toBeInstanceOf(ObjectId);
    const doc = await col.findOne({ _id: insertedId });
    expect(doc).toEqual({
      _id: insertedId,
      s: '政府信息公开',
      n: 1.5,
      i: 42,
      d: when,
      nested: { a: [1, 2, { b: null }] },
      flag: true,
    });
  });

  it('filters, projects, sorts, skips and limits', async () => {
    const col = h.db.collection('people');
    await col.insertMany([
      { name: 'a', age: 30, city: 'x' },
      { name: 'b', age: 20, city: 'y' },
      { name: 'c', age: 40, city: 'x' },
      { name: 'd', age: 25, city: 'x' },
    ]);
    const rows = await col
      .find({ city: 'x', age: { $gte: 25 } }, { projection: { _id: 0, name: 1 } })
      .sort({ age: -1 })
      .skip(1)
      .limit(1)
      .toArray();
    expect(rows).toEqual([{ name: 'a' }]);
    expect(
      await col
        .find({ $or: [{ name: 'b' }, { age: { $gt: 35 } }] })
        .sort({ name: 1 })
        .map((d) => d.name)
        .toArray(),
    ).toEqual(['b', 'c']);
    expect(await col.countDocuments({ city: 'x' })).toBe(3);
    expect(await col.estimatedDocumentCount()).toBe(4);
    expect(
      await col
        .find({}, { projection: { _id: 0, age: 0, city: 0 } })
        .sort({ name: 1 })
        .limit(1)
        .toArray(),
    ).toEqual([{ name: 'a' }]);
    expect((await col.distinct('city')).sort()).toEqual(['x', 'y']);
    expect(await col.findOne({ name: 'zzz' })).toBeNull();
    await col.insertOne({
      name: 'e',
      scores: [
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ],
    });
    const positional = await col.findOne({ name: 'e', 'scores.k': 'b' }, { projection: { _id: 0, 'scores.$': 1 } });
    expect(positional).toEqual({ scores: [{ k: 'b', v: 2 }] });
  });
});

describe('unacknowledged writes', () => {
  it('projects nested paths, through arrays and with number types kept, as MongoDB does', async () => {
    // An inclusion projection decodes only the paths it keeps (cursor-registry.ts): the result must
    // be the one a whole-document projection gives.
    const col = h.db.collection('projected');
    await col.insertOne({
      _id: 7 as never,
      sha256: 'ab',
      big: 'x'.repeat(50_000),
      region: { province: '江苏省', city: '淮安市', code: '320800' },
      n: Long.fromNumber(5),
      d: new Double(3),
      cells: [
        { key: 'a', value: 1, flags: ['f'] },
        { key: 'b', value: 2, flags: [] },
      ],
      facts: { applications: { new_received: { total: { v: 9, f: 1 } }, granted: { total: { v: 1, f: 0 } } } },
    });
    const raw = h.client.db(h.db.databaseName).collection('projected');
    const one = async (projection: Record<string, unknown>) =>
      raw.findOne({ sha256: 'ab' }, { projection, promoteLongs: false, promoteValues: false });
    expect(await one({ 'region.province': 1, n: 1, d: 1 })).toEqual({
      _id: new Int32(7),
      region: { province: '江苏省' },
      n: Long.fromNumber(5),
      d: new Double(3),
    });
    expect(await one({ _id: 0, 'cells.value': 1, 'facts.applications.new_received.total': 1 })).toEqual({
      cells: [{ value: new Int32(1) }, { value: new Int32(2) }],
      facts: { applications: { new_received: { total: { v: new Int32(9), f: new Int32(1) } } } },
    });
    expect(await col.findOne({ sha256: 'ab' }, { projection: { _id: 0, missing: 1, 'region.nothing': 1 } })).toEqual({
      region: {},
    });
  });

  it('applies w:0 writes sent with moreToCome, answering nothing', async () => {
    const col = h.db.collection('fire-and-forget');
    await col.insertOne({ quiet: true }, { writeConcern: { w: 0 } });
    // The next command on the connection is answered, so the fire-and-forget one was consumed.
    await expect.poll(() => col.countDocuments({ quiet: true })).toBe(1);
  });
});

describe('update', () => {
  it('applies $set $unset $inc $push $addToSet $pull $currentDate and arrayFilters', async () => {
    const col = h.db.collection('updates');
    const { insertedId } = await col.insertOne({
      n: 1,
      tags: ['a'],
      gone: 1,
      items: [
        { k: 1, v: 0 },
        { k: 2, v: 0 },
      ],
      nums: [1, 2, 3, 4],
    });
    const res = await col.updateOne(
      { _id: insertedId },
      {
        $set: { 'sub.x': 1 },
        $unset: { gone: '' },
        $inc: { n: 2 },
        $push: { tags: 'b' },
        $addToSet: { more: 'z' },
        $pull: { nums: { $gte: 3 } },
        $currentDate: { at: true },
      },
    );
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    await col.updateOne(
      { _id: insertedId },
      { $addToSet: { tags: 'a' }, $set: { 'items.$[e].v': 9 } },
      { arrayFilters: [{ 'e.k': 2 }] },
    );
    const doc = await col.findOne({ _id: insertedId });
    expect(doc).toMatchObject({
      n: 3,
      tags: ['a', 'b'],
      more: ['z'],
      nums: [1, 2],
      sub: { x: 1 },
      items: [
        { k: 1, v: 0 },
        { k: 2, v: 9 },
      ],
    });
    expect(doc).not.toHaveProperty('gone');
    expect(doc?.at).toBeInstanceOf(Date);
  });

  it('updates many, replaces one, and reports matched/modified', async () => {
    const col = h.db.collection('many');
    await col.insertMany([
      { g: 1, v: 0 },
      { g: 1, v: 0 },
      { g: 2, v: 0 },
    ]);
    expect(await col.updateMany({ g: 1 }, { $set: { v: 1 } })).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await col.updateMany({ g: 1 }, { $set: { v: 1 } })).toMatchObject({ matchedCount: 2, modifiedCount: 0 });
    const target = await col.findOne({ g: 2 });
    await col.replaceOne({ _id: target?._id }, { g: 3, replaced: true });
    expect(await col.findOne({ _id: target?._id }, { projection: { _id: 0 } })).toEqual({ g: 3, replaced: true });
  });

  it('upserts from the filter equality fields with $setOnInsert only on insert', async () => {
    const col = h.db.collection('upserts');
    const first = await col.updateOne(
      { key: 'k1', 'meta.year': 2023 },
      { $set: { v: 1 }, $setOnInsert: { created: 'first' } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    const second = await col.updateOne(
      { key: 'k1', 'meta.year': 2023 },
      { $set: { v: 2 }, $setOnInsert: { created: 'second' } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, upsertedCount: 0 });
    expect(await col.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({
      key: 'k1',
      meta: { year: 2023 },
      v: 2,
      created: 'first',
    });
  });

  it('refuses to change _id', async () => {
    const col = h.db.collection('immutable');
    const { insertedId } = await col.insertOne({ a: 1 });
    await expect(col.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } })).rejects.toMatchObject({
      code: 66,
    });
  });
});

describe('delete and findAndModify', () => {
  it('deletes one or many', async () => {
    const col = h.db.collection('deletes');
    await col.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await col.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect((await col.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect(await col.countDocuments()).toBe(1);
  });

  it('returns pre- and post-images, removes, and upserts', async () => {
    const col = h.db.collection('fam');
    await col.insertMany([
      { q: 1, n: 1 },
      { q: 1, n: 2 },
    ]);
    const before = await col.findOneAndUpdate(
      { q: 1 },
      { $inc: { n: 10 } },
      { sort: { n: -1 }, returnDocument: 'before' },
    );
    expect(before?.n).toBe(2);
    const after = await col.findOneAndUpdate(
      { q: 1, n: 12 },
      { $inc: { n: 1 } },
      { returnDocument: 'after', projection: { _id: 0 } },
    );
    expect(after).toEqual({ q: 1, n: 13 });
    const upserted = await col.findOneAndUpdate(
      { q: 2 },
      { $set: { n: 0 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(upserted.value?.q).toBe(2);
    const removed = await col.findOneAndDelete({ q: 2 });
    expect(removed?.n).toBe(0);
    expect(await col.findOneAndReplace({ q: 9 }, { q: 10 })).toBeNull();
  });
});

describe('indexed equality agrees with the filter', () => {
  it('matches null, arrays and sub-documents through an index as without one', async () => {
    const docs = [{ t: null }, {}, { t: [] }, { t: ['a', 'b'] }, { t: { x: 1 } }, { t: 'a' }, { t: [{ x: 1 }] }];
    const plain = h.db.collection('eq-plain');
    const indexed = h.db.collection('eq-indexed');
    await plain.insertMany(docs.map((d, i) => ({ i, ...d })));
    await indexed.createIndex({ t: 1 });
    await indexed.insertMany(docs.map((d, i) => ({ i, ...d })));
    for (const filter of [{ t: null }, { t: 'a' }, { t: { x: 1 } }, { t: { $in: ['b', null] } }]) {
      const expected = (await plain.find(filter).sort({ i: 1 }).toArray()).map((d) => d.i);
      const actual = (await indexed.find(filter).sort({ i: 1 }).toArray()).map((d) => d.i);
      expect(actual, JSON.stringify(filter)).toEqual(expected);
    }
  });
});

describe('the count command', () => {
  it('counts equalities on an index from the index, the same as reading the documents', async () => {
    const col = h.db.collection('count_by_index');
    await col.createIndex({ run: 1, status: 1 });
    await col.createIndex({ tags: 1 });
    await col.insertMany([
      { run: 'a', status: 'done', tags: ['x', 'y'] },
      { run: 'a', status: 'done', tags: ['x'] },
      { run: 'a', status: 'failed', tags: [] },
      { run: 'b', status: 'done' },
      { run: 'a', status: 'queued', extra: 1 },
    ]);
    const count = async (query: Record<string, unknown>): Promise<number> =>
      Number((await h.db.command({ count: 'count_by_index', query }))['n']);
    expect(await count({ run: 'a', status: 'done' })).toBe(2);
    expect(await count({ run: 'a', status: { $in: ['done', 'failed', 'done'] } })).toBe(3);
    expect(await count({ run: 'c', status: 'done' })).toBe(0);
    // Multikey: a document with two matching elements is one document.
    expect(await count({ tags: { $in: ['x', 'y'] } })).toBe(2);
    // Not covered by the index alone: the documents are read and filtered.
    expect(await count({ run: 'a', status: 'queued', extra: 1 })).toBe(1);
    expect(await count({ run: 'a', status: 'queued', extra: 2 })).toBe(0);
    expect(await count({ run: 'a' })).toBe(4);
    expect(await count({ run: 'a', status: null })).toBe(0);
    for (const query of [{ run: 'a', status: 'done' }, { tags: { $in: ['x', 'y'] } }])
      expect(await count(query)).toBe(await col.countDocuments(query));
  });
});

describe('leading fields of a compound index', () => {
  it('find, count and delete by the leading field with a range on the next give what a scan gives', async () => {
    const col = h.db.collection('pages_by_prefix');
    await col.createIndex({ sha: 1, n: 1 }, { unique: true });
    const docs = ['a', 'a|b', 'ab', 'b'].flatMap((sha) => [1, 2, 3].map((n) => ({ sha, n })));
    await col.insertMany([...docs, { sha: ['a', 'z'], n: 9 }, { sha: 'a' }].map((d) => ({ ...d })));
    const shas = async (filter: Record<string, unknown>): Promise<unknown[]> =>
      (
        await col
          .find(filter, { projection: { _id: 0 } })
          .sort({ n: 1 })
          .toArray()
      ).map((d) => [d['sha'], d['n']]);
    expect(await shas({ sha: 'a', n: { $gt: 1 } })).toEqual([
      ['a', 2],
      ['a', 3],
      [['a', 'z'], 9],
    ]);
    expect(await shas({ sha: 'a|b', n: { $gte: 3 } })).toEqual([['a|b', 3]]);
    expect(await shas({ sha: 'a', n: { $exists: false } })).toEqual([['a', undefined]]);
    expect(await col.countDocuments({ sha: { $in: ['a', 'ab'] }, n: { $lt: 3 } })).toBe(4);
    expect((await col.deleteMany({ sha: 'a', n: { $gt: 2 } })).deletedCount).toBe(2);
    expect(await col.countDocuments({ sha: 'a' })).toBe(3);
    expect(await col.countDocuments({ sha: 'ab' })).toBe(3);
  });
});
