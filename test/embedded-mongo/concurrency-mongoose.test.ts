import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Schema, type Connection } from 'mongoose';
import { MongoClient } from 'mongodb';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('concurrency');
});
afterAll(async () => h.close());

describe('concurrent upserts with a unique index', () => {
  it('never creates a duplicate across many connections', async () => {
    const col = h.db.collection('reports');
    await col.createIndex({ sha256: 1 }, { unique: true });
    const KEYS = 40;
    const CLIENTS = 6;
    const ROUNDS = 3;
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, () => new MongoClient(h.uri, { maxPoolSize: 10 }).connect()),
    );
    try {
      await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: KEYS * ROUNDS }, (_, i) =>
            client
              .db(h.db.databaseName)
              .collection('reports')
              .updateOne(
                { sha256: `key-${i % KEYS}` },
                { $set: { by: c }, $inc: { writes: 1 }, $setOnInsert: { first: c } },
                { upsert: true },
              ),
          ),
        ),
      );
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
    expect(await col.countDocuments()).toBe(KEYS);
    const totals = await col
      .aggregate([{ $group: { _id: null, writes: { $sum: '$writes' }, keys: { $addToSet: '$sha256' } } }])
      .toArray();
    expect(totals[0]?.writes).toBe(KEYS * CLIENTS * ROUNDS);
    expect(totals[0]?.keys).toHaveLength(KEYS);
  });
});

describe('mongoose', () => {
  let conn: Connection;
  const documentSchema = new Schema(
    {
      sha256: { type: String, required: true, unique: true },
      status: { type: String, enum: ['queued', 'done', 'failed'], index: true },
      pages: Number,
      summary: { cells: Number, flagged: Number },
      corrections: [{ key: String, old: String, new: String, at: Date }],
    },
    { timestamps: true },
  );

  beforeAll(async () => {
    conn = await mongoose.createConnection(h.uri, { dbName: h.db.databaseName }).asPromise();
  });
  afterAll(async () => conn.close());

  it('syncs indexes and enforces unique through the model', async () => {
    const Doc = conn.model('Doc', documentSchema);
    await Doc.init();
    await Doc.syncIndexes();
    const names = (await Doc.listIndexes()).map((index) => index.name).sort();
    expect(names).toEqual(['_id_', 'sha256_1', 'status_1']);
    await Doc.create({ sha256: 'h1', status: 'queued', pages: 3 });
    await expect(Doc.create({ sha256: 'h1', status: 'queued' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { sha256: 'h1' },
    });
  });

  it('upserts idempotently with findOneAndUpdate and bulkWrite', async () => {
    const Doc = conn.model('Doc', documentSchema);
    for (let replay = 0; replay < 3; replay++) {
      await Doc.findOneAndUpdate(
        { sha256: 'h2' },
        { $set: { status: 'done', summary: { cells: 10, flagged: 1 } } },
        { upsert: true, returnDocument: 'after' },
      );
      await Doc.bulkWrite(
        ['h3', 'h4'].map((sha256) => ({
          updateOne: { filter: { sha256 }, update: { $set: { status: 'done' } }, upsert: true },
        })),
        { ordered: false },
      );
    }
    expect(await Doc.countDocuments({ sha256: { $in: ['h2', 'h3', 'h4'] } })).toBe(3);
    const doc = await Doc.findOne({ sha256: 'h2' }).lean();
    expect(doc?.summary).toEqual({ cells: 10, flagged: 1 });
    expect(doc?.createdAt).toBeInstanceOf(Date);
    await Doc.updateOne(
      { sha256: 'h2' },
      { $push: { corrections: { key: 't3.total', old: '1', new: '2', at: new Date() } } },
    );
    const corrected = await Doc.findOne({ sha256: 'h2' });
    expect(corrected?.corrections).toHaveLength(1);
    expect(corrected?.corrections[0]?.new).toBe('2');
    expect(await Doc.estimatedDocumentCount()).toBeGreaterThanOrEqual(4);
    expect(await Doc.distinct('status')).toEqual(expect.arrayContaining(['done', 'queued']));
  });

  it('runs the aggregations the product uses', async () => {
    const Doc = conn.model('Doc', documentSchema);
    const byStatus = await Doc.aggregate<{ _id: string; n: number }>([
      { $group: { _id: '$status', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(byStatus.find((row) => row._id === 'done')?.n).toBe(3);
    const deleted = await Doc.deleteMany({ status: 'done' });
    expect(deleted.deletedCount).toBe(3);
  });
});
