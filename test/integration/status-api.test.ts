import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build-api.js';
import { correctCell, saveExtraction } from '../../models/index.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { makeDocument } from '../models/make-document.js';

describe('status API', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let queue: ExtractQueue;

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
  });

  it('serves status, documents with corrections applied, the review list, and coded errors', async () => {
    const sha = 'e'.repeat(64);
    await saveExtraction(mongo.db.models, makeDocument({ sha256: sha, status: 'needs_review', value: 5 }), {
      source: { path: '/in/e.pdf' },
    });
    await correctCell(mongo.db.models, { sha256: sha, key: 'applications.new_received.total', value: 6, by: 'carol' });
    const app = buildApi({ models: mongo.db.models, queue });

    const status = await app.inject({ method: 'GET', url: '/status' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ documents: { needs_review: 1 }, needsReview: { count: 1 } });

    const doc = await app.inject({ method: 'GET', url: `/documents/${sha}` });
    expect(doc.json()).toMatchObject({
      document: { sha256: sha, status: 'needs_review' },
      report: { values: { 'applications.new_received.total': 6, 'applications.new_received.natural_person': 5 } },
    });
    expect((await app.inject({ method: 'GET', url: '/review?limit=5' })).json()).toMatchObject({
      count: 1,
      documents: [{ sha256: sha }],
    });
    expect((await app.inject({ method: 'GET', url: '/documents/xyz' })).json()).toEqual({
      code: 'BAD_VALUE',
      message: 'sha256 must be 64 lowercase hex digits',
    });
    const missing = await app.inject({ method: 'GET', url: `/documents/${'f'.repeat(64)}` });
    expect(missing.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/runs/nope' })).statusCode).toBe(404);
    await app.close();
  });
});
