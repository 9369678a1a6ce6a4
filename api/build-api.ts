import Fastify, { type FastifyInstance } from 'fastify';
import { effectiveValue, type Models } from '../models/index.js';
import { gatherStatus, readerOfModels } from '../producers/gather-status.js';
import type { ExtractQueue } from '../queue/index.js';
import { registerArchiveRoutes } from './archive-routes.js';
import { registerAuth } from './auth.js';
import { cellBoxes } from './cell-boxes.js';
import { createPageImages, registerImageRoutes, type ImageOptions } from './image-routes.js';
import { registerOpsRoutes } from './ops-routes.js';
import { registerReviewRoutes } from './review-routes.js';
import { registerStaticRoutes } from './static-routes.js';

/** Largest page of documents one request returns. */
const MAX_LIMIT = 200;

const SHA256 = /^[0-9a-f]{64}$/;

export interface ApiOptions {
  readonly models: Models;
  readonly queue: ExtractQueue;
  /** Reads need a token too (the server listens beyond loopback). Default false. */
  readonly readsNeedToken?: boolean;
  /** Names besides the loopback ones the Host header may carry (`docq serve --public-host`). */
  readonly publicHosts?: readonly string[];
  /** Auth failures per address and minute before 429 (default 30). */
  readonly maxAuthFailuresPerMinute?: number;
  /** Page images and crops (image-routes.ts); without it those routes are absent. */
  readonly images?: ImageOptions;
}

/**
 * The HTTP API over the queue and the results: `GET /status`, `GET /runs/:runId`,
 * `GET /documents/:sha256` (document, report values with corrections applied), `GET /review`,
 * the review workflow of docs/review-api.md (review-routes.ts, image-routes.ts), the review page at `/`.
 * Errors are `{ code, message }` with a matching HTTP status; a 5xx only `{ code, requestId }`.
 */
export function buildApi(deps: ApiOptions): FastifyInstance {
  // allowUnionTypes: ['number', 'null'] bodies are meant; without it ajv prints a strict-mode warning per schema.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, ajv: { customOptions: { allowUnionTypes: true } } });
  const { models } = deps;

  app.setErrorHandler(
    (error: { validation?: unknown; statusCode?: number; message: string; code?: string }, request, reply) => {
      if (error.validation) return reply.code(400).send({ code: 'BAD_VALUE', message: error.message });
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
      // Never an internal message or stack to the client: the request id finds it in the server log.
      if (status === 500) {
        process.stderr.write(`docq serve: request ${request.id} failed: ${error.message}\n`);
        return reply.code(500).send({ code: 'INTERNAL', requestId: request.id });
      }
      return reply.code(status).send({ code: error.code ?? 'BAD_REQUEST', message: error.message });
    },
  );

  // The page and its modules carry no data and must load before anyone signs in: outside the auth plugin.
  registerStaticRoutes(app);
  void app.register(registerOpsRoutes, { models, queue: deps.queue, readsNeedToken: deps.readsNeedToken ?? false });
  void app.register(async (api) => {
    await registerAuth(api, models, {
      readsNeedToken: deps.readsNeedToken ?? false,
      ...(deps.publicHosts ? { publicHosts: deps.publicHosts } : {}),
      ...(deps.maxAuthFailuresPerMinute !== undefined ? { maxFailuresPerMinute: deps.maxAuthFailuresPerMinute } : {}),
    });
    registerRoutes(api, deps);
  });
  return app;
}

function registerRoutes(app: FastifyInstance, deps: ApiOptions): void {
  const { models } = deps;
  const images = deps.images ? createPageImages(models, deps.images) : null;
  registerReviewRoutes(app, models, cellBoxes(models), images ? (sha, pages) => images.warm(sha, pages) : undefined);
  if (images) {
    registerImageRoutes(app, models, images);
    app.addHook('onClose', () => images.close());
  }
  registerArchiveRoutes(app, models);

  app.get('/status', async () => gatherStatus(readerOfModels(models), deps.queue));

  app.get<{ Params: { runId: string } }>('/runs/:runId', async (request, reply) => {
    const run = await models.IngestRun.findOne({ runId: request.params.runId }, { _id: 0, __v: 0 }).lean();
    if (!run) return reply.code(404).send({ code: 'NOT_FOUND', message: `no run ${request.params.runId}` });
    return run;
  });

  app.get<{ Params: { sha256: string } }>('/documents/:sha256', async (request, reply) => {
    const { sha256 } = request.params;
    if (!SHA256.test(sha256))
      return reply.code(400).send({ code: 'BAD_VALUE', message: 'sha256 must be 64 lowercase hex digits' });
    const document = await models.Document.findOne({ sha256 }, { _id: 0, __v: 0 }).lean();
    if (!document) return reply.code(404).send({ code: 'NOT_FOUND', message: `no document ${sha256}` });
    const report = await models.Report.findOne({ sha256 }, { _id: 0, __v: 0 }).lean();
    const values = report ? Object.fromEntries(report.cells.map((c) => [c.key, effectiveValue(report, c.key)])) : null;
    return {
      document,
      report: report
        ? { templateVersion: report.templateVersion, checks: report.checks, corrections: report.corrections, values }
        : null,
    };
  });

  app.get<{ Querystring: { limit?: string; skip?: string } }>('/review', async (request) => {
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(request.query.limit ?? '50', 10) || 50));
    const skip = Math.max(0, Number.parseInt(request.query.skip ?? '0', 10) || 0);
    const docs = await models.Document.find(
      { status: 'needs_review' },
      { _id: 0, sha256: 1, source: 1, summary: 1, flagKinds: 1, metadata: 1 },
    )
      .sort({ 'summary.flagged': -1 })
      .skip(skip)
      .limit(limit)
      .lean();
    return { count: await models.Document.countDocuments({ status: 'needs_review' }), documents: docs };
  });
}
