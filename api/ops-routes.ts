import { readFile } from 'node:fs/promises';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { userByToken, type Models } from '../models/index.js';
import type { ExtractQueue } from '../queue/index.js';
import { dashboardData } from './dashboard-data.js';
import { createOpsMetrics } from './ops-metrics.js';

export interface OpsOptions {
  readonly models: Models;
  readonly queue: ExtractQueue;
  /** Reads need a token (the server listens beyond loopback): the dashboard data then does too. */
  readonly readsNeedToken?: boolean;
}

/** A dependency that does not answer within this counts as down for /ready. */
const READY_TIMEOUT_MS = 1_500;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await within(check(), READY_TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    return `unreachable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Static pages of web/, from the source tree (`api/`) or the build (`dist/api/`). */
async function readWeb(name: string): Promise<string | null> {
  for (const url of [new URL(`../web/${name}`, import.meta.url), new URL(`../../web/${name}`, import.meta.url)]) {
    const text = await readFile(url, 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  return null;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

/**
 * 401/403 unless the request may see operations data: the BullMQ dashboard is admin-only once
 * accounts exist (it can retry and remove jobs); the dashboard data needs a token when reads do.
 */
function guard(models: Models, need: () => 'admin' | 'user' | null) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const role = need();
    if (role === null) return;
    if (role === 'admin' && (await models.User.estimatedDocumentCount()) === 0) return;
    const token = bearer(request);
    const user = token !== null ? await userByToken(models, token) : null;
    if (!user)
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ code: 'UNAUTHENTICATED', message: 'a valid Authorization: Bearer <token> is needed (docq user add)' });
    if (role === 'admin' && user.role !== 'admin')
      return reply.code(403).send({ code: 'FORBIDDEN', message: 'admin only' });
  };
}

const TEXT = { type: 'string' } as const;

/**
 * Operations surface, registered on the root instance before the API routes (so @fastify/swagger
 * sees every route): `/health` (process up), `/ready` (Redis and MongoDB answer), `/metrics`
 * (Prometheus text, prom-client), the OpenAPI document and its UI at `/docs`, the BullMQ dashboard
 * at `/queues` (@bull-board/fastify) and the archive dashboard at `/dashboard` (web/dashboard.html).
 * None of them is behind the Host check of the API: Prometheus and health checks call by service name.
 */
export const registerOpsRoutes = fp(async (app: FastifyInstance, opts: OpsOptions) => {
  const { models, queue } = opts;
  await app.register(swagger, {
    openapi: {
      info: { title: 'docq API', version: '1', description: 'Review, status and operations of a docq archive.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // The BullMQ dashboard's and the docs UI's own routes are not part of the API.
    transform: ({ schema, url }) => ({
      schema: (url.startsWith('/queues') || url.startsWith('/docs') ? { ...schema, hide: true } : schema) as never,
      url,
    }),
  });
  // The UI's assets ship inside the package: nothing is fetched from the network.
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get(
    '/health',
    { schema: { summary: 'The process is up', response: { 200: { type: 'object', properties: { status: TEXT } } } } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      schema: {
        summary: 'Redis and MongoDB answer (503 naming the one that does not)',
        response: {
          200: { type: 'object', properties: { status: TEXT, redis: TEXT, mongodb: TEXT } },
          503: { type: 'object', properties: { status: TEXT, redis: TEXT, mongodb: TEXT } },
        },
      },
    },
    async (_request, reply) => {
      const [redis, mongodb] = await Promise.all([
        probe(() => queue.getJobCounts('waiting')),
        probe(async () => {
          const db = models.connection.db;
          if (!db) throw new Error('not connected');
          return db.admin().ping();
        }),
      ]);
      const ready = redis === 'ok' && mongodb === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', redis, mongodb });
    },
  );

  const registry = createOpsMetrics({ models, queue });
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );

  const dataGuard = guard(models, () => (opts.readsNeedToken ? 'user' : null));
  app.get(
    '/dashboard',
    { schema: { summary: 'The archive dashboard page (web/dashboard.html)', produces: ['text/html'] } },
    async (_request, reply) => {
      const html = await readWeb('dashboard.html');
      if (html === null)
        return reply.code(404).send({ code: 'NOT_FOUND', message: 'web/dashboard.html is not installed' });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
  app.get(
    '/dashboard/data',
    {
      onRequest: dataGuard,
      schema: { summary: 'Runs in progress, rates, failures by reason with files, documents by year and status' },
    },
    async () => dashboardData(models),
  );

  const board = new FastifyAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: [new BullMQAdapter(queue, { readOnlyMode: false })], serverAdapter: board });
  await app.register(async (scope) => {
    scope.addHook(
      'onRequest',
      guard(models, () => 'admin'),
    );
    await scope.register(board.registerPlugin(), { prefix: '/queues' });
  });
});
