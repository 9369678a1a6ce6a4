import type { FastifyInstance, FastifyReply } from 'fastify';
import { closeReview, correctCell, reviewState, type Models, type ReviewError } from '../models/index.js';

const SHA256_PARAM = {
  type: 'object',
  properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  required: ['sha256'],
} as const;

const NOT_FOUND: ReadonlySet<string> = new Set(['NO_DOCUMENT', 'NO_REPORT']);

function sendError(reply: FastifyReply, error: ReviewError | { code: string; message: string }): FastifyReply {
  const status = NOT_FOUND.has(error.code) ? 404 : error.code === 'UNKNOWN_KEY' ? 400 : 409;
  return reply.code(status).send(error);
}

/**
 * The review workflow over HTTP: the flagged cells of a document, a person's decision on one cell
 * (a corrected value, or the extracted value confirmed), and closing the review once every flagged
 * cell is decided. Every decision is kept in the audit trail (`corrections` collection).
 */
export function registerReviewRoutes(app: FastifyInstance, models: Models): void {
  app.get<{ Params: { sha256: string } }>(
    '/documents/:sha256/review',
    { schema: { params: SHA256_PARAM } },
    async (request, reply) => {
      const state = await reviewState(models, request.params.sha256);
      return 'code' in state ? sendError(reply, state) : state;
    },
  );

  app.post<{ Params: { sha256: string }; Body: { key: string; value: number | null; by: string; note?: string } }>(
    '/documents/:sha256/corrections',
    {
      schema: {
        params: SHA256_PARAM,
        body: {
          type: 'object',
          properties: {
            key: { type: 'string', minLength: 1, maxLength: 200 },
            value: { type: ['number', 'null'] },
            by: { type: 'string', minLength: 1, maxLength: 100 },
            note: { type: 'string', maxLength: 1000 },
          },
          required: ['key', 'value', 'by'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { key, value, by, note } = request.body;
      const result = await correctCell(models, {
        sha256: request.params.sha256,
        key,
        value,
        by,
        ...(note !== undefined ? { note } : {}),
      });
      return 'code' in result ? sendError(reply, result) : reply.code(201).send(result);
    },
  );

  app.post<{ Params: { sha256: string }; Body: { by: string; note?: string } }>(
    '/documents/:sha256/review',
    {
      schema: {
        params: SHA256_PARAM,
        body: {
          type: 'object',
          properties: {
            by: { type: 'string', minLength: 1, maxLength: 100 },
            note: { type: 'string', maxLength: 1000 },
          },
          required: ['by'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { by, note } = request.body;
      const result = await closeReview(models, {
        sha256: request.params.sha256,
        by,
        ...(note !== undefined ? { note } : {}),
      });
      return 'code' in result ? sendError(reply, result) : result;
    },
  );
}
