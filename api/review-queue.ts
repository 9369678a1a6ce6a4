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
/** The index is read again at most this often, and at least ten times its own read time apart. */
const MIN_REFRESH_MS = 2_000;

/** What the queue needs of one document record. */
interface Entry {
  readonly sha256: string;
  readonly status: string;
  readonly issuer: string | null;
  readonly region: string | null;
  readonly year: number | null;
  readonly template: string | null;
  readonly flagsLeft: number;
  readonly flagKinds: readonly string[];
  readonly source: { path?: string; url?: string };
  readonly updatedAt: Date;
  /** Why it is listed as a problem (failed, failed pages, source missing), if it is. */
  readonly problem: { code: string; message: string } | null;
}

const PROJECTION = {
  _id: 0,
  sha256: 1,
  status: 1,
  metadata: 1,
  flagsLeft: 1,
  'summary.flagged': 1,
  'summary.pagesFailed': 1,
  flagKinds: 1,
  source: 1,
  updatedAt: 1,
  error: 1,
  problems: 1,
} as const;

type Row = {
  sha256: string;
  status: string;
  metadata?: {
    issuer?: string | null;
    region?: string | null;
    reportYear?: number | null;
    templateVersion?: string | null;
  };
  flagsLeft?: number;
  summary?: { flagged?: number; pagesFailed?: number };
  flagKinds?: string[];
  source?: { path?: string; url?: string };
  updatedAt?: Date;
  error?: { code: string; message: string } | null;
  problems?: { code: string; message: string }[];
};

function toEntry(d: Row): Entry {
  const reason = d.error ?? d.problems?.[0];
  const failedPages = d.summary?.pagesFailed ?? 0;
  return {
    sha256: d.sha256,
    status: d.status,
    issuer: d.metadata?.issuer ?? null,
    region: d.metadata?.region ?? null,
    year: d.metadata?.reportYear ?? null,
    template: d.metadata?.templateVersion ?? null,
    flagsLeft: d.flagsLeft ?? d.summary?.flagged ?? 0,
    flagKinds: d.flagKinds ?? [],
    source: { ...(d.source?.path ? { path: d.source.path } : {}), ...(d.source?.url ? { url: d.source.url } : {}) },
    updatedAt: d.updatedAt ?? new Date(0),
    problem:
      d.status === 'failed' || failedPages > 0 || d.error?.code === 'SOURCE_MISSING'
        ? {
            code: reason?.code ?? 'PAGE_FAILED',
            message: reason?.message ?? `${failedPages} pages failed`,
          }
        : null,
  };
}

const byFlags = (a: Entry, b: Entry): number =>
  b.flagsLeft - a.flagsLeft || a.updatedAt.getTime() - b.updatedAt.getTime() || (a.sha256 < b.sha256 ? -1 : 1);
const byAge = (a: Entry, b: Entry): number =>
  a.updatedAt.getTime() - b.updatedAt.getTime() || (a.sha256 < b.sha256 ? -1 : 1);

/**
 * The review queue (docs/review-api.md) over an in-process index of every document's queue fields.
 * The embedded database sorts by scanning every match, so twenty reviewers listing 5,000 documents
 * would queue twenty full scans; instead the index is read whole in the background (at most every
 * MIN_REFRESH_MS, and never more than a tenth of the time), and each listing filters and sorts it in
 * memory. A worker's change shows within seconds; a decision made here shows at once (`touch`).
 */
export class ReviewQueue {
  private entries = new Map<string, Entry>();
  private sorted: { flags: Entry[]; oldest: Entry[] } | null = null;
  private loadedAt = 0;
  private interval = MIN_REFRESH_MS;
  private loading: Promise<void> | null = null;

  constructor(private readonly models: Models) {}

  private refresh(): Promise<void> {
    this.loading ??= (async () => {
      const started = performance.now();
      const rows = await this.models.Document.find({}, PROJECTION).lean<Row[]>();
      this.entries = new Map(rows.map((r) => [r.sha256, toEntry(r)]));
      this.sorted = null;
      this.loadedAt = Date.now();
      this.interval = Math.max(MIN_REFRESH_MS, 10 * (performance.now() - started));
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Reads one document again (after a decision through this server). */
  async touch(sha256: string): Promise<void> {
    const row = await this.models.Document.findOne({ sha256 }, PROJECTION).lean<Row>();
    if (!row) return;
    this.entries.set(sha256, toEntry(row));
    this.sorted = null;
  }

  private order(sort: 'flags' | 'oldest'): Entry[] {
    this.sorted ??= {
      flags: [...this.entries.values()].sort(byFlags),
      oldest: [...this.entries.values()].sort(byAge),
    };
    return this.sorted[sort];
  }

  async list(query: QueueQuery): Promise<Record<string, unknown> | { code: 'BAD_VALUE'; message: string }> {
    const statuses = (query.status ?? 'needs_review').split(',').filter((s) => s !== '');
    const unknown = statuses.find((s) => !(DOCUMENT_STATUSES as readonly string[]).includes(s));
    if (unknown)
      return { code: 'BAD_VALUE', message: `status ${unknown} is not one of ${DOCUMENT_STATUSES.join(', ')}` };
    const year = query.year ? Number(query.year) : null;
    if (year !== null && !Number.isInteger(year)) return { code: 'BAD_VALUE', message: 'year must be an integer' };
    if (this.loadedAt === 0) await this.refresh();
    else if (Date.now() - this.loadedAt > this.interval) void this.refresh().catch(() => undefined);
    const wanted = new Set(statuses);
    const match = (e: Entry): boolean =>
      wanted.has(e.status) &&
      (!query.issuer || (e.issuer ?? '').includes(query.issuer)) &&
      (!query.region || (e.region ?? '').includes(query.region)) &&
      (year === null || e.year === year) &&
      (!query.template || e.template === query.template) &&
      (!query.flag || e.flagKinds.includes(query.flag));
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(query.limit ?? '50', 10) || 50));
    const offset = Math.max(0, Number.parseInt(query.offset ?? '0', 10) || 0);
    const matching = this.order(query.sort === 'oldest' ? 'oldest' : 'flags').filter(match);
    let flagsLeftAll = 0;
    const problems: Entry[] = [];
    for (const e of this.entries.values()) {
      if (e.status === 'needs_review') flagsLeftAll += e.flagsLeft;
      if (e.problem && problems.length < MAX_PROBLEMS) problems.push(e);
    }
    return {
      total: matching.length,
      flagsLeftAll,
      documents: matching.slice(offset, offset + limit).map((e) => ({
        sha256: e.sha256,
        issuer: e.issuer,
        region: e.region,
        year: e.year,
        template: e.template,
        status: e.status,
        flagsLeft: e.flagsLeft,
        source: e.source,
        updatedAt: e.updatedAt,
      })),
      problems: problems.map((e) => ({ sha256: e.sha256, source: e.source, ...e.problem })),
    };
  }
}
