import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  applyDecision,
  closeReview,
  DECISION_ACTIONS,
  listUsers,
  loadReview,
  type DecisionAction,
  type Models,
  type ReviewError,
  type ReviewSnapshot,
} from '../models/index.js';
import { requireRole, userOf } from './auth.js';
import { documentView } from './document-view.js';
import { reviewQueue, type QueueQuery } from './review-queue.js';

const SHA256_PARAM = {
  type: 'object',
  properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  required: ['sha256'],
} as const;

const STATUS: Readonly<Record<ReviewError['code'], number>> = {
  NO_DOCUMENT: 404,
  NO_REPORT: 404,
  UNKNOWN_KEY: 400,
  BAD_VALUE: 422,
  RULE_FAILS: 409,
  OPEN: 409,
  NOT_IN_REVIEW: 409,
};

function sendError(reply: FastifyReply, error: ReviewError): FastifyReply {
  return reply.code(STATUS[error.code]).send(error);
}

type Box = { x0: number; y0: number; x1: number; y1: number };

/** Cell boxes in page-image pixels, by table cell (see image-routes.ts for the geometry). */
export type CellBoxes = (
  sha256: string,
) => Promise<(source: { tableId: string; row: number; col: number; page: number }) => Box | null>;

/** The document view with its audit trail and cell boxes. */
async function viewOf(models: Models, state: ReviewSnapshot, boxes: CellBoxes): Promise<Record<string, unknown>> {
  const sha256 = state.document.sha256;
  const [audit, boxOf] = await Promise.all([
    models.Correction.find({ sha256 }, { _id: 0, __v: 0 }).sort({ at: 1, _id: 1 }).lean(),
    boxes(sha256),
  ]);
  return documentView(state, audit, boxOf);
}

/**
 * The review workflow over HTTP (docs/review-api.md): the queue, the document view, a person's
 * decision on one cell or metadata field, closing the review; `GET /me`, `GET /users` (admin).
 */
export function registerReviewRoutes(app: FastifyInstance, models: Models, boxes: CellBoxes): void {
  app.get('/me', async (request) => request.user);
  app.get('/users', { preHandler: requireRole('admin') }, async () => ({ users: await listUsers(models) }));

  app.get<{ Querystring: QueueQuery }>('/review/queue', async (request, reply) => {
    const result = await reviewQueue(models, request.query);
    return 'code' in result ? reply.code(400).send(result) : result;
  });

  app.get<{ Params: { sha256: string } }>(
    '/documents/:sha256/review',
    { schema: { params: SHA256_PARAM } },
    async (request, reply) => {
      const state = await loadReview(models, request.params.sha256);
      return 'code' in state ? sendError(reply, state) : viewOf(models, state, boxes);
    },
  );

  const decide = async (
    request: {
      params: { sha256: string };
      body: { key: string; action: DecisionAction; value?: unknown; note?: string };
    },
    reply: FastifyReply,
    by: string,
  ): Promise<unknown> => {
    const { key, action, value, note } = request.body;
    const state = await applyDecision(models, {
      sha256: request.params.sha256,
      key,
      action,
      by,
      ...(value !== undefined ? { value } : {}),
      ...(note !== undefined ? { note } : {}),
    });
    return 'code' in state ? sendError(reply, state) : viewOf(models, state, boxes);
  };

  app.post<{
    Params: { sha256: string };
    Body: { key: string; action: DecisionAction; value?: unknown; note?: string };
  }>(
    '/documents/:sha256/decisions',
    {
      schema: {
        params: SHA256_PARAM,
        body: {
          type: 'object',
          properties: {
            key: { type: 'string', minLength: 1, maxLength: 200 },
            action: { type: 'string', enum: [...DECISION_ACTIONS] },
            value: { type: ['number', 'string', 'null'] },
            note: { type: 'string', maxLength: 1000 },
          },
          required: ['key', 'action'],
        },
      },
    },
    // Any other field (a client's `by`) is ignored: the token's user decides.
    async (request, reply) => decide(request, reply, userOf(request).name),
  );

  // The old route: a value for a cell is a correction.
  app.post<{ Params: { sha256: string }; Body: { key: string; value: number | null; note?: string } }>(
    '/documents/:sha256/corrections',
    {
      schema: {
        params: SHA256_PARAM,
        body: {
          type: 'object',
          properties: {
            key: { type: 'string', minLength: 1, maxLength: 200 },
            value: { type: ['number', 'null'] },
            note: { type: 'string', maxLength: 1000 },
          },
          required: ['key', 'value'],
        },
      },
    },
    async (request, reply) =>
      decide({ params: request.params, body: { ...request.body, action: 'correct' } }, reply, userOf(request).name),
  );

  app.post<{ Params: { sha256: string }; Body: { note?: string } | undefined }>(
    '/documents/:sha256/review',
    {
      schema: {
        params: SHA256_PARAM,
        body: { type: ['object', 'null'], properties: { note: { type: 'string', maxLength: 1000 } } },
      },
    },
    async (request, reply) => {
      const note = request.body?.note;
      const result = await closeReview(models, {
        sha256: request.params.sha256,
        by: userOf(request).name,
        ...(note !== undefined ? { note } : {}),
      });
      return 'code' in result ? sendError(reply, result) : viewOf(models, result, boxes);
    },
  );
}
