import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build-api.js';
import { addUser, correctCell, saveExtraction } from '../../models/index.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { makeDocument, withFlaggedTotal } from '../models/make-document.js';

const TOTAL = 'applications.new_received.total';
const PERSON = 'applications.new_received.natural_person';

describe('status and review API (docq serve)', () => {
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

  it('keeps the old corrections route as an alias of a correct decision, for a signed-in user only', async () => {
    const sha = 'a'.repeat(64);
    const models = mongo.db.models;
    await saveExtraction(
      models,
      withFlaggedTotal(
        makeDocument({ sha256: sha, status: 'needs_review', value: 5 }),
        8,
        ['check-failed:H3', 'likely-culprit'],
        { suggestion: 5 },
      ),
      { source: { path: '/archive/a.pdf' } },
    );
    const ann = await addUser(models, 'ann');
    if ('code' in ann) throw new Error(ann.message);
    const auth = { authorization: `Bearer ${ann.token}` };
    const app = buildApi({ models, queue });

    const sheet = await app.inject({ method: 'GET', url: `/documents/${sha}/review` });
    expect(sheet.statusCode).toBe(200);
    expect(sheet.json()).toMatchObject({ status: 'needs_review', source: { path: '/archive/a.pdf' }, open: [TOTAL] });

    const anonymous = await app.inject({
      method: 'POST',
      url: `/documents/${sha}/corrections`,
      payload: { key: TOTAL, value: 5, by: 'ann' },
    });
    expect(anonymous.statusCode).toBe(401);
    const early = await app.inject({ method: 'POST', url: `/documents/${sha}/review`, headers: auth, payload: {} });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'OPEN', open: [TOTAL] });
    const bad = await app.inject({
      method: 'POST',
      url: `/documents/${sha}/corrections`,
      headers: auth,
      payload: { key: TOTAL, value: 'five' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_VALUE' });
    const unknown = await app.inject({
      method: 'POST',
      url: `/documents/${sha}/corrections`,
      headers: auth,
      payload: { key: 'applications.nope.total', value: 1 },
    });
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_KEY' });

    const fix = await app.inject({
      method: 'POST',
      url: `/documents/${sha}/corrections`,
      headers: auth,
      payload: { key: TOTAL, value: 5, by: 'mallory', note: 'printed 8, page shows 5' },
    });
    expect(fix.statusCode).toBe(200);
    expect(fix.json()).toMatchObject({
      flagsLeft: 0,
      audit: [{ key: TOTAL, action: 'correct', old: 8, new: 5, by: 'ann' }],
    });

    const closed = await app.inject({ method: 'POST', url: `/documents/${sha}/review`, headers: auth });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'done', reviewClosed: { by: 'ann' } });
    const doc = (await app.inject({ method: 'GET', url: `/documents/${sha}` })).json();
    expect(doc.report.values).toMatchObject({ [TOTAL]: 5, [PERSON]: 5 });
    expect(doc.document.status).toBe('done');

    const again = await app.inject({ method: 'POST', url: `/documents/${sha}/review`, headers: auth });
    expect(again.json()).toMatchObject({ code: 'NOT_IN_REVIEW' });
    expect((await app.inject({ method: 'GET', url: `/documents/${'b'.repeat(64)}/review` })).statusCode).toBe(404);
    await app.close();
  });

  it('serves the review page at /', async () => {
    const app = buildApi({ models: mongo.db.models, queue });
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/documents/${sha}/corrections');
    await app.close();
  });
});
