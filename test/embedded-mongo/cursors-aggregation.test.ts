import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
const TOTAL = 250;
beforeAll(async () => {
  h = await openHarness('cursors');
  await h.db.collection('items').insertMany(
    Array.from({ length: TOTAL }, (_, i) => ({
      i,
      group: `g${i % 5}`,
      tags: i % 2 === 0 ? ['even', 'x'] : ['odd'],
      amount: i * 10,
      ownerId: i % 3,
    })),
  );
  await h.db.collection('owners').insertMany([0, 1, 2].map((id) => ({ id, name: `owner-${id}` })));
});
afterAll(async () => h.close());

describe('cursors', () => {
  it('streams more than one batch through getMore, in order', async () => {
    const cursor = h.db.collection('items').find({}, { batchSize: 7 }).sort({ i: 1 });
    const seen: number[] = [];
    for await (const doc of cursor) seen.push(doc.i as number);
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  });

  it('returns the default first batch of 101 and the rest via getMore', async () => {
    const cursor = h.db.collection('items').find({ group: 'g1' });
    expect(await cursor.hasNext()).toBe(true);
    expect(cursor.bufferedCount()).toBe(TOTAL / 5);
    expect((await h.db.collection('items').find({}).toArray()).length).toBe(TOTAL);
  });

  it('kills a cursor closed early, and getMore on it then fails with CursorNotFound', async () => {
    const cursor = h.db.collection('items').find({}, { batchSize: 2 });
    await cursor.next();
    const id = cursor.id;
    await cursor.close();
    expect(id).toBeDefined();
    await expect(h.db.command({ getMore: id, collection: 'items' })).rejects.toMatchObject({ code: 43 });
  });

  it('honours limit across batches', async () => {
    const docs = await h.db.collection('items').find({}, { batchSize: 3, limit: 10, skip: 5 }).toArray();
    expect(docs.map((d) => d.i)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});

describe('aggregate', () => {
  it('runs $match $group $sort over the collection', async () => {
    const rows = await h.db
      .collection('items')
      .aggregate([
        { $match: { amount: { $gte: 1000 } } },
        { $group: { _id: '$group', total: { $sum: '$amount' }, n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      _id: 'g0',
      total: [...Array(TOTAL).keys()].filter((i) => i % 5 === 0 && i >= 100).reduce((s, i) => s + i * 10, 0),
      n: 30,
    });
  });

  it('runs $project $addFields $unwind $count $skip $limit', async () => {
    const col = h.db.collection('items');
    const projected = await col
      .aggregate([
        { $sort: { i: 1 } },
        { $skip: 2 },
        { $limit: 2 },
        { $project: { _id: 0, i: 1 } },
        { $addFields: { twice: { $multiply: ['$i', 2] } } },
      ])
      .toArray();
    expect(projected).toEqual([
      { i: 2, twice: 4 },
      { i: 3, twice: 6 },
    ]);
    const unwound = await col
      .aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(unwound).toEqual([
      { _id: 'even', n: 125 },
      { _id: 'odd', n: 125 },
      { _id: 'x', n: 125 },
    ]);
    expect(await col.aggregate([{ $match: { group: 'g2' } }, { $count: 'n' }]).toArray()).toEqual([{ n: 50 }]);
  });

  it('runs $facet and $lookup', async () => {
    const col = h.db.collection('items');
    const [facets] = await col
      .aggregate([
        {
          $facet: {
            low: [{ $match: { i: { $lt: 3 } } }, { $count: 'n' }],
            top: [{ $sort: { i: -1 } }, { $limit: 1 }, { $project: { _id: 0, i: 1 } }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({ low: [{ n: 3 }], top: [{ i: TOTAL - 1 }] });
    const joined = await col
      .aggregate([
        { $match: { i: 4 } },
        { $lookup: { from: 'owners', localField: 'ownerId', foreignField: 'id', as: 'owner' } },
        { $project: { _id: 0, name: { $first: '$owner.name' } } },
      ])
      .toArray();
    expect(joined).toEqual([{ name: 'owner-1' }]);
  });

  it('serves large aggregation results through a cursor', async () => {
    const rows = await h.db
      .collection('items')
      .aggregate([{ $project: { i: 1 } }], { batchSize: 10 })
      .toArray();
    expect(rows).toHaveLength(TOTAL);
  });

  it('names an unknown stage or operator in its error', async () => {
    await expect(
      h.db
        .collection('items')
        .aggregate([{ $nope: {} }])
        .toArray(),
    ).rejects.toThrow(/\$nope/);
    await expect(
      h.db
        .collection('items')
        .find({ i: { $nope: 1 } })
        .toArray(),
    ).rejects.toThrow(/\$nope/);
  });
});

describe('aggregate reads every field a $group needs', () => {
  it('keeps $topN sortBy fields and $getField references', async () => {
    const col = h.db.collection('items');
    const [top] = await col
      .aggregate([{ $group: { _id: null, best: { $topN: { n: 1, sortBy: { amount: -1 }, output: '$i' } } } }])
      .toArray();
    expect(top?.best).toEqual([TOTAL - 1]);
    const [field] = await col
      .aggregate([{ $match: { i: 3 } }, { $group: { _id: null, g: { $first: { $getField: 'group' } } } }])
      .toArray();
    expect(field?.g).toBe('g3');
  });
});
