import type { FastifyInstance } from 'fastify';
import {
  aggregateByRegion,
  issuerSeries,
  issuerTimeline,
  listIssuers,
  parseDimensions,
} from '../models/archive-queries.js';
import type { Models } from '../models/index.js';

const KEY = { type: 'string', minLength: 3, maxLength: 200, pattern: '^[a-z_]+(\\.[a-z0-9_]+)+$' } as const;

/**
 * Queries over the archive: `GET /issuers`, `GET /series?issuer=&key=` (one issuer's values year
 * by year with provenance and S3 links) and `GET /aggregate?key=&by=province,year[&year=]` (totals
 * with how many of their numbers are flagged or corrected), `GET /documents/:sha256/timeline` (the
 * issuer's years beside a document). A copy of a report is counted once.
 */
export function registerArchiveRoutes(app: FastifyInstance, models: Models): void {
  app.get('/issuers', async () => listIssuers(models));

  // The issuer's timeline beside a document (review page): 结转下年 of last year next to 上年结转.
  app.get<{ Params: { sha256: string } }>(
    '/documents/:sha256/timeline',
    {
      schema: {
        params: {
          type: 'object',
          properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
          required: ['sha256'],
        },
      },
    },
    async (request, reply) => {
      const timeline = await issuerTimeline(models, request.params.sha256);
      return 'code' in timeline ? reply.code(404).send(timeline) : timeline;
    },
  );

  app.get<{ Querystring: { issuer: string; key: string } }>(
    '/series',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { issuer: { type: 'string', minLength: 1, maxLength: 100 }, key: KEY },
          required: ['issuer', 'key'],
        },
      },
    },
    async (request, reply) => {
      const series = await issuerSeries(models, request.query.issuer, request.query.key);
      return 'code' in series ? reply.code(404).send(series) : series;
    },
  );

  app.get<{ Querystring: { key: string; by?: string; year?: number } }>(
    '/aggregate',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            key: KEY,
            by: { type: 'string', maxLength: 60 },
            year: { type: 'integer', minimum: 2000, maximum: 2100 },
          },
          required: ['key'],
        },
      },
    },
    async (request, reply) => {
      const by = parseDimensions(request.query.by ?? 'province,year');
      if (typeof by === 'string') return reply.code(400).send({ code: 'BAD_VALUE', message: by });
      const { year } = request.query;
      const rows = await aggregateByRegion(models, request.query.key, by, year !== undefined ? { year } : {});
      return { key: request.query.key, by, rows };
    },
  );
}
