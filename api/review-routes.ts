import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  applyDecisions,
  closeReview,
  DECISION_ACTIONS,
  listUsers,
  loadReview,
  MAX_BATCH,
  type DecisionAction,
  type Models,
  type ReviewError,
  type ReviewSnapshot,
} from '../models/index.js';
import { requireRole, userOf } from './auth.js';
import { documentView } from './document-view.js';
import { ReviewQueue, type QueueQuery } from './review-queue.js';
import { ViewCache } from './view-cache.js';

const SHA256_PARAM = {
  type: 'object',
  properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  required: ['sha256'],
} as const;

const JSON_TYPE = 'application/json; charset=utf-8';

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
  /** Identifies the extraction: the same stamp, the same boxes. */
  stamp: string,
) => Promise<(source: { tableId: string; row: number; col: number; page: number }) => Box | null>;

/** The document view with its audit trail and cell boxes (`loaded`: the review state, or its loading). */
async function viewOf(
  models: Models,
  sha256: string,
  loaded: ReviewSnapshot | Promise<ReviewSnapshot | ReviewError>,
  boxes: CellBoxes,
): Promise<Record<string, unknown> | ReviewError> {
  const state = await loaded;
  if ('code' in state) return state;
  // Boxes change only with a new extraction: known by its pipeline version and finishing time.
  const stamp = `${state.report.pipelineVersion}:${state.document.finishedAt?.getTime() ?? ''}`;
  const [audit, boxOf] = await Promise.all([
    models.Correction.find({ sha256 }, { _id: 0, __v: 0 }).sort({ at: 1, _id: 1 }).lean(),
    boxes(sha256, stamp),
  ]);
  return documentView(state, audit, boxOf);
}

/** The pages the flagged cells are on: their crops are what a reviewer opens first. */
function flaggedPages(cells: readonly { flags: readonly unknown[]; source?: { page: number } | null }[]): number[] {
  return cells.filter((c) => c.flags.length > 0 && c.source).map((c) => c.source!.page);
}

/**
 * The review workflow over HTTP (docs/review-api.md): the queue, the document view, a person's
 * decision on one cell or metadata field, closing the review; `GET /me`, `GET /users` (admin).
 */
export function registerReviewRoutes(
  app: FastifyInstance,
  models: Models,
  boxes: CellBoxes,
  warmPages?: (sha256: string, pages: readonly number[]) => void,
): void {
  app.get('/me', async (request) => request.user);
  app.get('/users', { preHandler: requireRole('admin') }, async () => ({ users: await listUsers(models) }));

  // The pages of the flagged cells of the documents at the head of the queue are prepared before
  // anyone opens them, so the first crop a reviewer sees is cut from a prepared page.
  const headSeen = new Set<string>();
  const queue = new ReviewQueue(models, (head) => {
    const fresh = head.filter((sha256) => !headSeen.has(sha256));
    if (!warmPages || fresh.length === 0) return;
    if (headSeen.size > 100_000) headSeen.clear();
    for (const sha256 of fresh) headSeen.add(sha256);
    void models.Report.find({ sha256: { $in: fresh } }, { _id: 0, sha256: 1, cells: 1 })
      .lean()
      .then((reports) => {
        for (const r of reports) warmPages(r.sha256, flaggedPages(r.cells));
      })
      .catch(() => undefined);
  });
  // What a view is made of changes with one of these two records (decisions, S3 and reprocessing write them).
  const stampOf = async (sha256: string): Promise<string | null> => {
    const [d, r] = await Promise.all([
      models.Document.findOne({ sha256 }, { _id: 0, updatedAt: 1 }).lean(),
      models.Report.findOne({ sha256 }, { _id: 0, updatedAt: 1 }).lean(),
    ]);
    return d
      ? `${d.updatedAt?.getTime() ?? ''}:${(r as { updatedAt?: Date } | null)?.updatedAt?.getTime() ?? ''}`
      : null;
  };
  const views = new ViewCache(async (sha256) => {
    const stamp = (await stampOf(sha256)) ?? '';
    const loading = loadReview(models, sha256);
    const built = await viewOf(models, sha256, loading, boxes);
    const state = await loading;
    // The pages of the flagged cells: their crops are what the reviewer opens next.
    if (!('code' in state)) warmPages?.(sha256, flaggedPages(state.report.cells));
    return 'code' in built ? (built as ReviewError) : { view: built, stamp };
  }, stampOf);
  app.get<{ Querystring: QueueQuery }>('/review/queue', async (request, reply) => {
    const result = await queue.list(request.query);
    return typeof result === 'string' ? reply.type(JSON_TYPE).send(result) : reply.code(400).send(result);
  });

  app.get<{ Params: { sha256: string } }>(
    '/documents/:sha256/review',
    { schema: { params: SHA256_PARAM } },
    async (request, reply) => {
      const result = await views.get(request.params.sha256);
      return typeof result === 'string' ? reply.type(JSON_TYPE).send(result) : sendError(reply, result);
    },
  );

  /** After a write through this server: every cached view is old (S3 may have moved a neighbour's). */
  const afterWrite = async (sha256: string, state: ReviewSnapshot, reply: FastifyReply): Promise<unknown> => {
    views.invalidate();
    await queue.touch(sha256);
    const view = await viewOf(models, sha256, state, boxes);
    return 'code' in view ? sendError(reply, view as ReviewError) : view;
  };

  type DecisionBody = { key: string; action: DecisionAction; value?: unknown; note?: string };
  const decide = async (
    request: { params: { sha256: string }; body: DecisionBody | { decisions: DecisionBody[] } },
    reply: FastifyReply,
    by: string,
  ): Promise<unknown> => {
    const items = 'decisions' in request.body ? request.body.decisions : [request.body];
    const state = await applyDecisions(models, {
      sha256: request.params.sha256,
      by,
      decisions: items.map(({ key, action, value, note }) => ({
        key,
        action,
        ...(value !== undefined ? { value } : {}),
        ...(note !== undefined ? { note } : {}),
      })),
    });
    if ('code' in state) return sendError(reply, state);
    return afterWrite(request.params.sha256, state, reply);
  };

  const DECISION = {
    type: 'object',
    properties: {
      key: { type: 'string', minLength: 1, maxLength: 200 },
      action: { type: 'string', enum: [...DECISION_ACTIONS] },
      // Any JSON value: its type is judged against the cell (422 BAD_VALUE with the reason).
      value: {},
      note: { type: 'string', maxLength: 1000 },
    },
    required: ['key', 'action'],
  } as const;

  app.post<{ Params: { sha256: string }; Body: DecisionBody | { decisions: DecisionBody[] } }>(
    '/documents/:sha256/decisions',
    {
      schema: {
        params: SHA256_PARAM,
        // One decision, or several checked together (a cell and the row total computed from it).
        body: {
          anyOf: [
            DECISION,
            {
              type: 'object',
              properties: { decisions: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: DECISION } },
              required: ['decisions'],
            },
          ],
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
            value: { anyOf: [{ type: 'number' }, { type: 'null' }] },
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
      if ('code' in result) return sendError(reply, result);
      return afterWrite(request.params.sha256, result, reply);
    },
  );
}
