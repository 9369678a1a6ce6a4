import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build-api.js';
import { addUser, saveExtraction } from '../../models/index.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { makeDocument, withFlaggedTotal } from '../models/make-document.js';

describe('review API guards: metadata decisions, reads beyond loopback, auth-failure limit, 5xx bodies', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let queue: ExtractQueue;
  let token: string;
  const sha = 'd'.repeat(64);

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    await saveExtraction(
      mongo.db.models,
      withFlaggedTotal(makeDocument({ sha256: sha, status: 'needs_review', value: 5 }), 8, ['check-failed:H3']),
      { source: { path: '/archive/d.pdf' } },
    );
    const user = await addUser(mongo.db.models, 'rita');
    if ('code' in user) throw new Error(user.message);
    token = user.token;
  });
  afterAll(async () => {
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
  });

  it('reviews metadata like a cell: typed values, provenance, the queue finds the corrected issuer', async () => {
    const app = buildApi({ models: mongo.db.models, queue });
    const auth = { authorization: `Bearer ${token}` };
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: `/documents/${sha}/decisions`, headers: auth, payload });
    const view = (await app.inject({ url: `/documents/${sha}/review` })).json();
    expect(Object.keys(view.metadata).sort()).toEqual(['issuer', 'region', 'template', 'year']);
    expect(view.metadata.issuer).toMatchObject({
      key: 'metadata.issuer',
      state: 'trusted',
      provenance: { kind: 'extracted' },
    });
    expect((await post({ key: 'metadata.year', action: 'correct', value: 20233 })).statusCode).toBe(422);
    expect((await post({ key: 'metadata.template', action: 'correct', value: 'v2020' })).statusCode).toBe(422);
    expect((await post({ key: 'metadata.issuer', action: 'correct', value: '' })).statusCode).toBe(422);
    const fixed = await post({ key: 'metadata.issuer', action: 'correct', value: '红寺堡区' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().metadata.issuer).toMatchObject({
      value: '红寺堡区',
      state: 'corrected',
      provenance: { kind: 'corrected', by: 'rita' },
    });
    const listed = (await app.inject({ url: '/review/queue?issuer=红寺堡' })).json();
    expect(listed.documents.map((d: { sha256: string }) => d.sha256)).toEqual([sha]);
    await app.close();
  });

  it('asks for a token on reads when listening beyond loopback; limits repeated failures', async () => {
    const app = buildApi({ models: mongo.db.models, queue, readsNeedToken: true, maxAuthFailuresPerMinute: 3 });
    expect((await app.inject({ url: `/documents/${sha}/review` })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: `/documents/${sha}/review`, headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await app.inject({ url: '/review/queue', headers: { authorization: `Bearer ${'z'.repeat(43)}` } })).statusCode,
      );
    // Three failures a minute (the tokenless read above was the first), then 429.
    expect(statuses).toEqual([401, 401, 429, 429, 429]);
    await app.close();
  });

  it('answers a server error with a code and request id only', async () => {
    const app = buildApi({ models: mongo.db.models, queue });
    app.get('/boom', async () => {
      throw new Error('secret internal detail at /srv/x.ts:12');
    });
    const response = await app.inject({ url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(Object.keys(response.json()).sort()).toEqual(['code', 'requestId']);
    expect(response.body).not.toContain('secret');
    await app.close();
  });
});
