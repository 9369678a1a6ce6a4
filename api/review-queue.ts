import { DOCUMENT_STATUSES, type Models } from '../models/index.js';

export interface QueueQuery {
  issuer?: string;
  region?: string;
  year?: string;
  template?: string;
  status?: string;
  flag?: string;
  sort?: string;
  limit?: string;
  offset?: string;
}

const MAX_LIMIT = 200;
const MAX_PROBLEMS = 100;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The review queue (docs/review-api.md): documents matching the filters, most flags left (or the
 * oldest) first, the flags left across every document in review, and the documents whose pages
 * failed or whose source is gone, with the reason.
 */
export async function reviewQueue(
  models: Models,
  query: QueueQuery,
): Promise<Record<string, unknown> | { code: 'BAD_VALUE'; message: string }> {
  const statuses = (query.status ?? 'needs_review').split(',').filter((s) => s !== '');
  const unknown = statuses.find((s) => !(DOCUMENT_STATUSES as readonly string[]).includes(s));
  if (unknown) return { code: 'BAD_VALUE', message: `status ${unknown} is not one of ${DOCUMENT_STATUSES.join(', ')}` };
  const filter: Record<string, unknown> = { status: statuses.length === 1 ? statuses[0] : { $in: statuses } };
  if (query.issuer) filter['metadata.issuer'] = { $regex: escapeRegex(query.issuer) };
  if (query.region) filter['metadata.region'] = { $regex: escapeRegex(query.region) };
  if (query.year) {
    const year = Number(query.year);
    if (!Number.isInteger(year)) return { code: 'BAD_VALUE', message: 'year must be an integer' };
    filter['metadata.reportYear'] = year;
  }
  if (query.template) filter['metadata.templateVersion'] = query.template;
  if (query.flag) filter['flagKinds'] = query.flag;
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(query.limit ?? '50', 10) || 50));
  const offset = Math.max(0, Number.parseInt(query.offset ?? '0', 10) || 0);
  const sort: Record<string, 1 | -1> =
    query.sort === 'oldest' ? { updatedAt: 1, sha256: 1 } : { flagsLeft: -1, updatedAt: 1, sha256: 1 };
  const [documents, total, left, problems] = await Promise.all([
    models.Document.find(filter, {
      _id: 0,
      sha256: 1,
      metadata: 1,
      status: 1,
      flagsLeft: 1,
      summary: 1,
      source: 1,
      updatedAt: 1,
    })
      .sort(sort)
      .skip(offset)
      .limit(limit)
      .lean(),
    models.Document.countDocuments(filter),
    models.Document.aggregate<{ left: number }>([
      { $match: { status: 'needs_review' } },
      { $group: { _id: null, left: { $sum: '$flagsLeft' } } },
    ]),
    models.Document.find(
      { $or: [{ status: 'failed' }, { 'summary.pagesFailed': { $gt: 0 } }, { 'error.code': 'SOURCE_MISSING' }] },
      { _id: 0, sha256: 1, source: 1, status: 1, error: 1, problems: 1, summary: 1 },
    )
      .limit(MAX_PROBLEMS)
      .lean(),
  ]);
  return {
    total,
    flagsLeftAll: left[0]?.left ?? 0,
    documents: documents.map((d) => ({
      sha256: d.sha256,
      issuer: d.metadata.issuer ?? null,
      region: d.metadata.region ?? null,
      year: d.metadata.reportYear ?? null,
      template: d.metadata.templateVersion ?? null,
      status: d.status,
      flagsLeft: d.flagsLeft ?? d.summary.flagged ?? 0,
      source: d.source,
      updatedAt: d.updatedAt,
    })),
    problems: problems.map((p) => {
      const reason = p.error ?? p.problems[0];
      return {
        sha256: p.sha256,
        source: p.source,
        code: reason?.code ?? 'PAGE_FAILED',
        message: reason?.message ?? `${p.summary.pagesFailed ?? 0} pages failed`,
      };
    }),
  };
}
