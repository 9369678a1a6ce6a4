import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('indexes');
});
afterAll(async () => h.close());

describe('unique indexes', () => {
  it('rejects a duplicate insert with code 11000, keyPattern and keyValue', async () => {
    const col = h.db.collection('docs');
    await col.createIndex({ sha256: 1 }, { unique: true });
    await col.insertOne({ sha256: 'aa' });
    const error = await col.insertOne({ sha256: 'aa' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000, keyPattern: { sha256: 1 }, keyValue: { sha256: 'aa' } });
    expect(await col.countDocuments({ sha256: 'aa' })).toBe(1);
  });

  it('enforces uniqueness on update and upsert, leaving the document unchanged', async () => {
    const col = h.db.collection('docs');
    const { insertedId } = await col.insertOne({ sha256: 'bb', v: 1 });
    await expect(col.updateOne({ _id: insertedId }, { $set: { sha256: 'aa' } })).rejects.toMatchObject({ code: 11000 });
    await expect(col.updateOne({ missing: true }, { $set: { sha256: 'aa' } }, { upsert: true })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await col.findOne({ _id: insertedId }, { projection: { _id: 0 } })).toEqual({ sha256: 'bb', v: 1 });
  });

  it('enforces compound unique keys and skips documents missing a sparse key', async () => {
    const col = h.db.collection('compound');
    await col.createIndex({ year: 1, issuer: 1 }, { unique: true, name: 'year_issuer' });
    await col.createIndex({ code: 1 }, { unique: true, sparse: true });
    await col.insertMany([
      { year: 2023, issuer: 'a' },
      { year: 2023, issuer: 'b' },
      { year: 2024, issuer: 'a' },
    ]);
    await expect(col.insertOne({ year: 2023, issuer: 'b' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { year: 2023, issuer: 'b' },
    });
    expect(await col.countDocuments({ code: { $exists: false } })).toBe(3);
    await col.insertOne({ year: 2025, issuer: 'z', code: 'c1' });
    await expect(col.insertOne({ year: 2026, issuer: 'z', code: 'c1' })).rejects.toMatchObject({ code: 11000 });
    const names = (await col.listIndexes().toArray()).map((index) => index.name);
    expect(names).toEqual(['_id_', 'year_issuer', 'code_1']);
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const col = h.db.collection('dups');
    await col.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(col.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await col.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('drops indexes by name and all at once', async () => {
    const col = h.db.collection('droppable');
    await col.createIndexes([{ key: { a: 1 } }, { key: { b: -1 } }]);
    await col.dropIndex('a_1');
    expect((await col.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'b_-1']);
    await col.dropIndexes();
    expect((await col.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
    await expect(col.dropIndex('nope_1')).rejects.toMatchObject({ code: 27 });
  });
});

describe('TTL and partial indexes', () => {
  it('accepts a TTL index (listed with its option) and logs that it does not expire documents', async () => {
    const col = h.db.collection('ttl');
    await col.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const ttl = (await col.listIndexes().toArray()).find((index) => index.name === 'at_1');
    expect(ttl?.expireAfterSeconds).toBe(3600);
    if (h.server) expect(h.logs.some((line) => line.includes('TTL') && line.includes('at_1'))).toBe(true);
  });

  it('enforces a partial unique index only on the documents it covers', async () => {
    const col = h.db.collection('partial');
    await col.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await col.insertMany([
      { email: 'a', active: false },
      { email: 'a', active: false },
      { email: 'a', active: true },
    ]);
    await expect(col.insertOne({ email: 'a', active: true })).rejects.toMatchObject({ code: 11000 });
    expect(await col.countDocuments({ email: 'a' })).toBe(3);
  });
});

describe('bulkWrite', () => {
  it('reports one writeError per failed op and applies the rest when unordered', async () => {
    const col = h.db.collection('bulk');
    await col.createIndex({ key: 1 }, { unique: true });
    await col.insertOne({ key: 'taken' });
    const error = await col
      .bulkWrite(
        [
          { insertOne: { document: { key: 'k1' } } },
          { insertOne: { document: { key: 'taken' } } },
          { insertOne: { document: { key: 'k2' } } },
          { updateOne: { filter: { key: 'k3' }, update: { $set: { v: 1 } }, upsert: true } },
          { updateOne: { filter: { key: 'k1' }, update: { $set: { key: 'taken' } } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.writeErrors).toHaveLength(2);
    expect(bulk.result.insertedCount).toBe(2);
    expect(bulk.result.upsertedCount).toBe(1);
    expect(
      (
        await col
          .find({}, { projection: { _id: 0, key: 1 } })
          .sort({ key: 1 })
          .toArray()
      ).map((d) => d.key),
    ).toEqual(['k1', 'k2', 'k3', 'taken']);
  });

  it('stops at the first error when ordered', async () => {
    const col = h.db.collection('bulk-ordered');
    await col.createIndex({ key: 1 }, { unique: true });
    const error = await col.insertMany([{ key: 1 }, { key: 1 }, { key: 2 }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000 });
    expect(await col.countDocuments()).toBe(1);
  });
});

describe('errors', () => {
  it('answers an unknown command with code 59', async () => {
    await expect(h.db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
  });

  it('answers an unknown update operator with an error naming it', async () => {
    await expect(h.db.collection('x').updateOne({}, { $frob: { a: 1 } } as never, { upsert: true })).rejects.toThrow(
      /\$frob/,
    );
  });

  it('answers a bad value with code 2', async () => {
    const col = h.db.collection('badvalues');
    await col.insertOne({ a: 1 });
    await expect(col.find({ $and: 5 } as never).toArray()).rejects.toMatchObject({ code: 2 });
    await expect(col.find({ a: { $in: 5 } } as never).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('rejects a document over 16 MiB and keeps serving', async () => {
    const col = h.db.collection('big');
    // Just over the limit: the driver sends it (its own buffer tops out at 17 MiB), the server must refuse it.
    const error = await col.insertOne({ blob: 'x'.repeat(16 * 1024 * 1024 + 4096) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect([10334, 2]).toContain((error as MongoServerError).code);
    expect(String((error as Error).message)).toMatch(/size/i);
    await col.insertOne({ small: true });
    expect(await col.countDocuments()).toBe(1);
  });
});

describe('oversized replies', () => {
  it('fails a command whose reply would exceed 16 MiB and keeps serving', async () => {
    const col = h.db.collection('wide');
    const MIB = 1024 * 1024;
    await col.insertMany(Array.from({ length: 18 }, (_, i) => ({ v: `${i}-${'x'.repeat(MIB)}` })));
    await expect(col.distinct('v')).rejects.toBeInstanceOf(MongoServerError);
    expect(await col.countDocuments()).toBe(18);
  });
});

describe('collections and databases', () => {
  it('creates, lists, renames and drops collections', async () => {
    await h.db.createCollection('made');
    await expect(h.db.createCollection('made')).rejects.toMatchObject({ code: 48 });
    await h.db.collection('made').insertOne({ a: 1 });
    await h.db.renameCollection('made', 'renamed');
    const names = (await h.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('renamed');
    expect(names).not.toContain('made');
    expect(await h.db.collection('renamed').countDocuments()).toBe(1);
    expect(await h.db.collection('renamed').drop()).toBe(true);
    const { databases } = await h.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(h.db.databaseName);
  });

  it('answers collStats and dbStats', async () => {
    await h.db.collection('stats').insertMany([{ a: 1 }, { a: 2 }]);
    const coll = await h.db.command({ collStats: 'stats' });
    expect(coll).toMatchObject({ count: 2 });
    expect(coll.size).toBeGreaterThan(0);
    const stats = await h.db.stats();
    expect(stats.objects).toBeGreaterThanOrEqual(2);
  });
});
