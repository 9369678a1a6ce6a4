import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/build-api.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const SHA = 'd'.repeat(64);

describe('the review page served by docq serve', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let queue: ExtractQueue;
  let app: FastifyInstance;

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    app = buildApi({ models: mongo.db.models, queue });
  });
  afterAll(async () => {
    await app?.close();
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
  });

  it('serves the page at / and at every document URL a browser navigates to, with a strict CSP', async () => {
    for (const url of ['/', `/documents/${SHA}`]) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<script type="module" src="/web/js/app.js">');
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    }
  });

  it('keeps /documents/:sha256 a JSON route for the page itself and other clients', async () => {
    const res = await app.inject({ method: 'GET', url: `/documents/${SHA}`, headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the modules and the stylesheet under /web/ and nothing outside web/', async () => {
    const js = await app.inject({ method: 'GET', url: '/web/js/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const css = await app.inject({ method: 'GET', url: '/web/style.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    for (const url of ['/web/../package.json', '/web/%2e%2e/package.json', '/web/js/nope.js'])
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });
});
