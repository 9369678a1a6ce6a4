// Documented MongoDB semantics the CRUD specification tests do not reach, checked through the
// driver against the embedded server (or MONGODB_URI): update errors, numeric BSON types,
// _id validation, positional updates, $slice projections and sorting on array fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, MongoServerError, type Document } from 'mongodb';
import { openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('fidelity');
});
afterAll(async () => h.close());

/** The server error an operation fails with (the test fails if it succeeds). */
async function serverError(operation: Promise<unknown>): Promise<MongoServerError> {
  const error: unknown = await operation.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

describe('invalid updates answer MongoDB error codes and change nothing', () => {
  it.each([
    ['$inc on a string', { $inc: { s: 1 } }, 14, 'TypeMismatch'],
    ['$inc with a string', { $inc: { n: 'x' } }, 14, 'TypeMismatch'],
    ['$mul on a string', { $mul: { s: 2 } }, 14, 'TypeMismatch'],
    ['$push onto a non-array', { $push: { s: 1 } }, 2, 'BadValue'],
    ['$addToSet onto a non-array', { $addToSet: { n: 1 } }, 2, 'BadValue'],
    ['$pull from a non-array', { $pull: { n: 1 } }, 2, 'BadValue'],
    ['$set through a scalar', { $set: { 'n.deeper': 1 } }, 28, 'PathNotViable'],
    ['$inc through a string', { $inc: { 's.x': 1 } }, 28, 'PathNotViable'],
    ['two operators on one path', { $set: { n: 1 }, $inc: { n: 1 } }, 40, 'ConflictingUpdateOperators'],
  ])('%s → %i %s', async (_label, update, code) => {
    const col = h.db.collection('invalid_updates');
    await col.deleteMany({});
    await col.insertOne({ _id: 1, s: 'text', n: 5 });
    const error = await serverError(col.updateOne({ _id: 1 }, update as Document));
    // A write error carries the code only (no codeName), as MongoDB's writeErrors do.
    expect(error.code).toBe(code);
    expect(await col.findOne({ _id: 1 })).toEqual({ _id: 1, s: 'text', n: 5 });
  });

  it('the same errors through findOneAndUpdate, and $unset through a scalar stays a no-op', async () => {
    const col = h.db.collection('invalid_fam');
    await col.insertOne({ _id: 1, s: 'text' });
    expect((await serverError(col.findOneAndUpdate({ _id: 1 }, { $inc: { s: 1 } }))).code).toBe(14);
    const result = await col.updateOne({ _id: 1 }, { $unset: { 's.x': '' } });
    expect(result.modifiedCount).toBe(0);
  });
});

describe('numeric BSON types survive storage, updates and $type', () => {
  const raw = { promoteValues: false } as const;

  it('int32, int64, double and decimal128 come back with their types', async () => {
    const col = h.db.collection('numbers');
    await col.insertOne({
      _id: 1,
      i: new Int32(7),
      l: Long.fromString('9007199254740993'),
      small: Long.fromNumber(3),
      d: new Double(2),
      negZero: new Double(-0),
      frac: 2.5,
      dec: Decimal128.fromString('1.10'),
      nested: { list: [new Double(1), Long.fromNumber(2), 3] },
    });
    const doc = (await col.findOne({ _id: 1 }, raw))!;
    expect(doc.i).toBeInstanceOf(Int32);
    expect(doc.l).toEqual(Long.fromString('9007199254740993'));
    expect(doc.small).toBeInstanceOf(Long);
    expect(doc.d).toBeInstanceOf(Double);
    expect(Object.is((doc.negZero as Double).value, -0)).toBe(true);
    expect(doc.frac).toBeInstanceOf(Double);
    expect((doc.dec as Decimal128).toString()).toBe('1.10');
    const list = (doc.nested as Document).list as unknown[];
    expect(list.map((v) => (v as { _bsontype: string })._bsontype)).toEqual(['Double', 'Long', 'Int32']);
  });

  it('an update of another field keeps them, and a projection too', async () => {
    const col = h.db.collection('numbers');
    await col.updateOne({ _id: 1 }, { $set: { 'nested.other': 1 }, $push: { 'nested.list': 4 } });
    const doc = (await col.findOne({ _id: 1 }, raw))!;
    expect(doc.d).toBeInstanceOf(Double);
    expect(doc.small).toBeInstanceOf(Long);
    const projected = (await col.findOne({ _id: 1 }, { ...raw, projection: { d: 1, small: 1 } }))!;
    expect(projected.d).toBeInstanceOf(Double);
    expect(projected.small).toBeInstanceOf(Long);
  });

  it('$inc and $mul follow MongoDB type promotion', async () => {
    const col = h.db.collection('arithmetic');
    await col.insertOne({ _id: 1, i: 2147483647, l: Long.fromNumber(1), d: new Double(1), m: 3 });
    await col.updateOne({ _id: 1 }, { $inc: { i: 1, l: 1, d: 1, fresh: Long.fromNumber(5) }, $mul: { m: 2.5 } });
    const doc = (await col.findOne({ _id: 1 }, raw))!;
    expect(doc.i).toEqual(Long.fromNumber(2147483648)); // int32 overflow widens to int64
    expect(doc.l).toEqual(Long.fromNumber(2));
    expect(doc.d).toEqual(new Double(2));
    expect(doc.fresh).toEqual(Long.fromNumber(5));
    expect(doc.m).toEqual(new Double(7.5));
  });

  it('array operators and $min/$max compare typed numbers by value', async () => {
    const col = h.db.collection('typed_arrays');
    await col.insertOne({
      _id: 1,
      set: [Long.fromNumber(1), new Double(2)],
      bag: [Long.fromNumber(5), 6, 7],
      m: Long.fromNumber(10),
    });
    await col.updateOne(
      { _id: 1 },
      { $addToSet: { set: { $each: [1, 2, 3] } }, $pull: { bag: { $gte: 6 } }, $min: { m: 4 } },
    );
    const doc = (await col.findOne({ _id: 1 }, raw))!;
    expect(doc.set).toEqual([Long.fromNumber(1), new Double(2), new Int32(3)]);
    expect(doc.bag).toEqual([Long.fromNumber(5)]);
    expect(doc.m).toEqual(new Int32(4));
    await col.updateOne({ _id: 1 }, { $pullAll: { set: [2] }, $max: { m: Long.fromNumber(3) } });
    const after = (await col.findOne({ _id: 1 }, raw))!;
    expect(after.set).toEqual([Long.fromNumber(1), new Int32(3)]);
    expect(after.m).toEqual(new Int32(4));
  });

  it('distinct returns values with their types', async () => {
    const col = h.db.collection('distinct_types');
    await col.insertMany([{ v: Long.fromNumber(7) }, { v: new Double(8) }, { v: 7 }]);
    const values = await col.distinct('v', {}, { promoteValues: false } as never);
    expect(values).toEqual([Long.fromNumber(7), new Double(8)]);
  });

  it('$type tells int, long, double and decimal apart, and numbers still match by value', async () => {
    const col = h.db.collection('types');
    await col.insertMany([
      { _id: 'int', v: new Int32(1) },
      { _id: 'long', v: Long.fromNumber(1) },
      { _id: 'double', v: new Double(1) },
      { _id: 'decimal', v: Decimal128.fromString('1') },
      { _id: 'string', v: '1' },
      { _id: 'array', v: [new Int32(5), Long.fromNumber(6)] },
    ]);
    const ids = async (filter: Document): Promise<unknown[]> =>
      (await col.find(filter, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(await ids({ v: { $type: 'int' } })).toEqual(['array', 'int']);
    expect(await ids({ v: { $type: 'long' } })).toEqual(['array', 'long']);
    expect(await ids({ v: { $type: 'double' } })).toEqual(['double']);
    expect(await ids({ v: { $type: 19 } })).toEqual(['decimal']);
    expect(await ids({ v: { $type: 'number' } })).toEqual(['array', 'decimal', 'double', 'int', 'long']);
    expect(await ids({ v: { $type: 'array' } })).toEqual(['array']);
    expect(await ids({ v: 1, _id: { $ne: 'decimal' } })).toEqual(['double', 'int', 'long']);
    expect(await ids({ v: Long.fromNumber(1), _id: { $ne: 'decimal' } })).toEqual(['double', 'int', 'long']);
  });
});

describe('_id is validated like MongoDB', () => {
  it.each([
    ['a $-prefixed field', { $a: 1 }, 52],
    ['an array', [1, 2], 53],
    ['a regular expression', /x/, 53],
  ])('refuses %s', async (_label, id, code) => {
    const col = h.db.collection('ids');
    expect((await serverError(col.insertOne({ _id: id as never, x: 1 }))).code).toBe(code);
    expect(await col.countDocuments({})).toBe(0);
  });

  it('accepts sub-documents with ordinary names, and refuses a bad _id from an upsert', async () => {
    const col = h.db.collection('ids_ok');
    await col.insertOne({ _id: { a: 1, b: { c: 2 } } as never });
    expect(await col.countDocuments({})).toBe(1);
    expect((await serverError(col.replaceOne({ x: 1 }, { _id: [1] as never }, { upsert: true }))).code).toBe(53);
  });
});

describe('positional $ updates', () => {
  it('update the array element the query matched', async () => {
    const col = h.db.collection('positional');
    await col.insertOne({
      _id: 1,
      grades: [80, 85, 90],
      items: [
        { k: 'a', n: 1 },
        { k: 'b', n: 2 },
      ],
    });
    await col.updateOne({ _id: 1, grades: 85 }, { $set: { 'grades.$': 86 } });
    await col.updateOne({ _id: 1, 'items.k': 'b' }, { $inc: { 'items.$.n': 10 } });
    expect(await col.findOne({ _id: 1 })).toEqual({
      _id: 1,
      grades: [80, 86, 90],
      items: [
        { k: 'a', n: 1 },
        { k: 'b', n: 12 },
      ],
    });
  });

  it('refuse an update whose query matched no array element', async () => {
    const col = h.db.collection('positional');
    expect((await serverError(col.updateOne({ _id: 1 }, { $set: { 'grades.$': 1 } }))).code).toBe(2);
  });
});

describe('$slice projections', () => {
  it('keep the other fields unless fields are included', async () => {
    const col = h.db.collection('slices');
    await col.insertOne({ _id: 1, a: [1, 2, 3, 4, 5], b: 'keep', c: { d: [1, 2, 3] } });
    expect(await col.findOne({ _id: 1 }, { projection: { a: { $slice: 2 } } })).toEqual({
      _id: 1,
      a: [1, 2],
      b: 'keep',
      c: { d: [1, 2, 3] },
    });
    expect(
      await col.findOne({ _id: 1 }, { projection: { a: { $slice: -2 }, 'c.d': { $slice: [1, 1] }, b: 0 } }),
    ).toEqual({ _id: 1, a: [4, 5], c: { d: [2] } });
    expect(await col.findOne({ _id: 1 }, { projection: { a: { $slice: 1 }, b: 1 } })).toEqual({
      _id: 1,
      a: [1],
      b: 'keep',
    });
  });
});

describe('sorting on array fields', () => {
  it('ascending uses the smallest element, descending the largest', async () => {
    const col = h.db.collection('array_sort');
    await col.insertMany([
      { _id: 'A', v: [1, 10] },
      { _id: 'B', v: [5, 6] },
      { _id: 'C', v: 7 },
    ]);
    const order = async (direction: 1 | -1): Promise<unknown[]> =>
      (await col.find({}, { sort: { v: direction } }).toArray()).map((d) => d._id);
    expect(await order(1)).toEqual(['A', 'B', 'C']);
    expect(await order(-1)).toEqual(['A', 'C', 'B']);
  });
});

describe('$type in an aggregation', () => {
  it('a leading $match sees the stored types, as find does', async () => {
    const col = h.db.collection('agg_types');
    await col.insertMany([
      { _id: 1, v: new Double(1) },
      { _id: 2, v: new Int32(1) },
      { _id: 3, v: Decimal128.fromString('1') },
    ]);
    const ids = async (type: string): Promise<unknown[]> =>
      (await col.aggregate([{ $match: { v: { $type: type } } }, { $sort: { _id: 1 } }]).toArray()).map((d) => d._id);
    expect(await ids('double')).toEqual([1]);
    expect(await ids('int')).toEqual([2]);
    expect(await ids('decimal')).toEqual([3]);
    expect(await ids('number')).toEqual([1, 2, 3]);
  });
});
