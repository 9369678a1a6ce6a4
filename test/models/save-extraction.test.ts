import type { Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../core/model/index.js';
import { correctCell, effectiveValue, saveExtraction, type Models } from '../../models/index.js';
import { markProcessing } from '../../workers/record-status.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { makeDocument } from './make-document.js';

const SHA = (c: string): string => c.repeat(64);

async function snapshot(models: Models, sha256: string): Promise<unknown> {
  // Ids and timestamps differ between writes by design; everything else must be identical.
  const VOLATILE = new Set(['_id', '__v', 'createdAt', 'updatedAt', 'finishedAt']);
  const strip = (record: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(record).filter(([k]) => !VOLATILE.has(k)));
  return {
    document: (await models.Document.find({ sha256 }).lean()).map((d) =>
      strip(d as unknown as Record<string, unknown>),
    ),
    pages: (await models.Page.find({ sha256 }).sort({ number: 1 }).lean()).map((d) =>
      strip(d as unknown as Record<string, unknown>),
    ),
    tables: (await models.Table.find({ sha256 }).sort({ tableId: 1 }).lean()).map((d) =>
      strip(d as unknown as Record<string, unknown>),
    ),
    reports: (await models.Report.find({ sha256 }).lean()).map((d) => strip(d as unknown as Record<string, unknown>)),
  };
}

describe('saveExtraction against the embedded server', () => {
  let mongo: TestMongo;
  let models: Models;
  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
  });
  afterAll(async () => {
    await mongo.cleanup();
  });

  it('writes document, pages, tables and report; a replay gives the same state and no duplicates', async () => {
    const doc = makeDocument({ sha256: SHA('a'), pages: 3 });
    const first = await saveExtraction(models, doc, { source: { path: '/in/a.pdf' }, runId: 'run-1' });
    expect(first).toEqual({ sha256: SHA('a'), status: 'done', pages: 3, tables: 1 });
    const before = await snapshot(models, SHA('a'));
    await saveExtraction(models, doc, { source: { path: '/in/a.pdf' }, runId: 'run-1' });
    expect(await snapshot(models, SHA('a'))).toEqual(before);
    expect(await models.Document.countDocuments({ sha256: SHA('a') })).toBe(1);
    expect(await models.Page.countDocuments({ sha256: SHA('a') })).toBe(3);
    const stored = await models.Document.findOne({ sha256: SHA('a') }).lean();
    expect(stored).toMatchObject({
      status: 'done',
      pageCount: 3,
      runId: 'run-1',
      metadata: { reportYear: 2021, issuer: '东园镇', templateVersion: 'v2021' },
    });
    const report = await models.Report.findOne({ sha256: SHA('a') }).lean();
    expect(report?.cells.map((c) => c.key)).toEqual([
      'applications.new_received.natural_person',
      'applications.new_received.total',
    ]);
  });

  it('a first pass (never marked processing before) skips the stale-record deletes; every later pass still makes them', async () => {
    const sha = SHA('f');
    const job = { sha256: sha, path: '/in/f.pdf', runId: 'run-f', pipelineVersion: '1' };
    // The producer's queued record is no earlier pass.
    await models.Document.updateOne({ sha256: sha }, { $set: { status: 'queued' } }, { upsert: true });
    const firstPass = await markProcessing(models, job, 1);
    expect(firstPass).toBe(true);
    await saveExtraction(models, makeDocument({ sha256: sha, pages: 3, tables: 2, value: 7 }), { firstPass });
    const full = await snapshot(models, sha);

    // A retry (the first attempt crashed after its pages were written) is not a first pass.
    const retry = await markProcessing(models, job, 2);
    expect(retry).toBe(false);
    await saveExtraction(models, makeDocument({ sha256: sha, pages: 1, tables: 0, value: 7 }), { firstPass: retry });
    expect(await models.Page.countDocuments({ sha256: sha })).toBe(1);
    expect(await models.Table.countDocuments({ sha256: sha })).toBe(0);
    expect(await markProcessing(models, job, 3)).toBe(false);
    await saveExtraction(models, makeDocument({ sha256: sha, status: 'failed' }), { firstPass: false });
    expect(await models.Page.countDocuments({ sha256: sha })).toBe(0);
    expect((await models.Report.findOne({ sha256: sha }).lean())?.cells).toEqual([]);

    // The same extraction saved as a first pass or not gives the same pages, tables and report.
    await saveExtraction(models, makeDocument({ sha256: sha, pages: 3, tables: 2, value: 7 }));
    const { pages, tables, reports } = full as Record<string, unknown>;
    expect(await snapshot(models, sha)).toMatchObject({ pages, tables, reports });
  });

  it('concurrent saves of one document leave exactly one record per key', async () => {
    const doc = makeDocument({ sha256: SHA('b'), pages: 4 });
    await Promise.all(Array.from({ length: 6 }, () => saveExtraction(models, doc, { runId: 'run-2' })));
    expect(await models.Document.countDocuments({ sha256: SHA('b') })).toBe(1);
    expect(await models.Page.countDocuments({ sha256: SHA('b') })).toBe(4);
    expect(await models.Table.countDocuments({ sha256: SHA('b') })).toBe(1);
    expect(await models.Report.countDocuments({ sha256: SHA('b') })).toBe(1);
  });

  it('reprocessing replaces extracted values, drops stale pages and tables, keeps corrections and their audit trail', async () => {
    const sha = SHA('c');
    await saveExtraction(models, makeDocument({ sha256: sha, pages: 3, tables: 2, value: 7 }));
    const key = 'applications.new_received.natural_person';
    const corrected = await correctCell(models, {
      sha256: sha,
      key,
      value: 9,
      by: 'alice',
      note: 'read from the scan',
    });
    expect(corrected).toMatchObject({ key, value: 9, old: 7, by: 'alice' });
    await correctCell(models, { sha256: sha, key, value: 10, by: 'bob' });

    await saveExtraction(models, makeDocument({ sha256: sha, pages: 2, tables: 1, value: 8 }));
    const report = await models.Report.findOne({ sha256: sha }).lean();
    if (!report) throw new Error('report missing');
    expect(report.cells.find((c) => c.key === key)?.value).toBe(8);
    expect(effectiveValue(report, key)).toBe(10);
    expect(effectiveValue(report, 'applications.new_received.total')).toBe(8);
    expect(await models.Page.countDocuments({ sha256: sha })).toBe(2);
    expect(await models.Table.countDocuments({ sha256: sha })).toBe(1);
    const trail = await models.Correction.find({ sha256: sha, key }).sort({ at: 1 }).lean();
    expect(trail.map((t) => [t.by, t.old, t.new])).toEqual([
      ['alice', 7, 9],
      ['bob', 9, 10],
    ]);
    expect(await correctCell(models, { sha256: sha, key: 'nope', value: 1, by: 'x' })).toMatchObject({
      code: 'UNKNOWN_KEY',
    });
  });

  it('a failed extraction records its error code and stage, and keeps an earlier report record', async () => {
    const sha = SHA('d');
    await saveExtraction(models, makeDocument({ sha256: sha, status: 'failed' }), { source: { path: '/in/bad.pdf' } });
    const stored = await models.Document.findOne({ sha256: sha }).lean();
    expect(stored).toMatchObject({ status: 'failed', error: { code: 'CORRUPT', stage: 'open' }, pageCount: 0 });
    expect(await models.Report.countDocuments({ sha256: sha })).toBe(0);
  });

  it('pages and the document record, written by the driver, are exactly what the mongoose schema would store', async () => {
    // Stored records cast through the schema again must come back unchanged: a field the schema
    // lacks would be dropped, a missing one defaulted, a wrongly typed one cast.
    const asSchemaStores = (model: Model<never>, record: object): unknown =>
      JSON.parse(JSON.stringify(new model(record).toObject()));
    const plain = (record: object): unknown => JSON.parse(JSON.stringify(record));
    const base = makeDocument({ sha256: SHA('0'), pages: 2 });
    const [first, second] = base.pages as [Document['pages'][number], Document['pages'][number]];
    const doc: Document = {
      ...base,
      status: 'needs_review',
      problems: [{ code: 'PAGE_FAILED', message: 'page 2 timed out', stage: 'ocr', page: 2 }],
      pages: [
        first,
        { ...second, method: 'ocr', rotation: 90, ocrConfidence: 0.83, image: { width: 1654, height: 2339, dpi: 200 } },
      ],
    };
    await models.Document.updateOne(
      { sha256: SHA('0') },
      { $set: { status: 'queued', queuedAt: new Date() } },
      { upsert: true },
    );
    await saveExtraction(models, doc, { source: { path: '/in/s.pdf' }, runId: 'run-s', startedAt: new Date() });
    // And a document record the save creates itself (no producer record before).
    await saveExtraction(models, makeDocument({ sha256: SHA('1'), pages: 1, status: 'failed' }), {});

    const pages = await models.Page.find({ sha256: { $in: [SHA('0'), SHA('1')] } }).lean();
    const documents = await models.Document.find({ sha256: { $in: [SHA('0'), SHA('1')] } }).lean();
    expect(pages.filter((p) => p.sha256 === SHA('0'))).toHaveLength(2);
    expect(documents).toHaveLength(2);
    for (const page of pages) {
      expect(asSchemaStores(models.Page as unknown as Model<never>, page)).toEqual(plain(page));
      expect(new models.Page(page).validateSync()).toBeUndefined();
      expect(page.createdAt).toBeInstanceOf(Date);
      expect(page.updatedAt).toBeInstanceOf(Date);
    }
    for (const record of documents) {
      expect(asSchemaStores(models.Document as unknown as Model<never>, record)).toEqual(plain(record));
      expect(new models.Document(record).validateSync()).toBeUndefined();
      expect(record.createdAt).toBeInstanceOf(Date);
      expect(record.finishedAt).toBeInstanceOf(Date);
    }
    expect(documents.find((d) => d.sha256 === SHA('0'))?.startedAt).toBeInstanceOf(Date);
  });

  it('indexes serve the product queries', async () => {
    const indexes = await models.Document.collection.listIndexes().toArray();
    const keys = indexes.map((i) => JSON.stringify(i['key']));
    expect(keys).toContain(JSON.stringify({ sha256: 1 }));
    expect(indexes.find((i) => JSON.stringify(i['key']) === JSON.stringify({ sha256: 1 }))?.['unique']).toBe(true);
    expect(keys).toContain(JSON.stringify({ 'metadata.reportYear': 1, 'metadata.issuer': 1 }));
    expect(keys).toContain(JSON.stringify({ 'summary.flagged': -1 }));
    const pageIndexes = await models.Page.collection.listIndexes().toArray();
    expect(
      pageIndexes.some(
        (i) => JSON.stringify(i['key']) === JSON.stringify({ sha256: 1, number: 1 }) && i['unique'] === true,
      ),
    ).toBe(true);
  });
});
