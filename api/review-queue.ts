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
/** Records changed since the last read are asked for at most this often (while listings are asked for). */
const POLL_MS = 1_000;
/** A poll reads again the records stamped this long before the newest it has seen. */
const POLL_MARGIN_MS = 5_000;
/** The whole index is read again this often (a record deleted by another process drops out). */
const FULL_RELOAD_MS = 60_000;
/** Serialised listings kept per version of the index. */
const MAX_CACHED_LISTINGS = 500;
/** The head of the queue whose pages are prepared before anyone opens them. */
const HEAD = 20;

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

/** What is worked out once per version of the index, not per listing. */
interface Derived {
  readonly flags: Entry[];
  readonly oldest: Entry[];
  readonly flagsLeftAll: number;
  readonly problems: readonly Record<string, unknown>[];
  /** Serialised listings by their normalised query. */
  readonly pages: Map<string, string>;
}

/**
 * The review queue (docs/review-api.md) over an in-process index of every document's queue fields.
 * The embedded database answers one query at a time and sorts by scanning every match, so twenty
 * reviewers listing 5,000 documents would queue twenty full scans; instead the index is read whole
 * once, then only the records changed since (`updatedAt`, which every write of a document record
 * moves), at most every POLL_MS while listings are asked for, and whole again every FULL_RELOAD_MS
 * (a deleted record). Each listing is filtered and sorted in memory and serialised once per version of
 * the index: a repeated listing is a string. A decision made here shows at once (`touch`).
 */
export class ReviewQueue {
  private entries = new Map<string, Entry>();
  private derived: Derived | null = null;
  private polledAt = 0;
  private fullAt = 0;
  /** The newest `updatedAt` seen: the next poll asks for records from this instant on. */
  private newest = new Date(0);
  private loading: Promise<void> | null = null;

  /** `onTop`: told the documents at the head of the queue (most flags first) whenever they may have changed. */
  constructor(
    private readonly models: Models,
    private readonly onTop?: (sha256s: readonly string[]) => void,
  ) {}

  /** `advance`: the rows are a poll's, so the next poll may start from the newest of them. */
  private apply(rows: readonly Row[], advance: boolean): void {
    let changed = false;
    for (const r of rows) {
      const entry = toEntry(r);
      const before = this.entries.get(r.sha256);
      // A poll reads the last few seconds' records again: unchanged, they change nothing.
      if (!before || JSON.stringify(before) !== JSON.stringify(entry)) {
        this.entries.set(r.sha256, entry);
        changed = true;
      }
      if (advance && r.updatedAt && r.updatedAt > this.newest) this.newest = r.updatedAt;
    }
    if (changed) this.changed();
  }

  private changed(): void {
    this.derived = null;
  }

  private refresh(full: boolean): Promise<void> {
    this.loading ??= (async () => {
      const started = Date.now();
      if (full) {
        // In batches: the event loop answers listings between them.
        const entries = new Map<string, Entry>();
        let newest = new Date(0);
        for await (const r of this.models.Document.find({}, PROJECTION).lean<Row[]>().cursor({ batchSize: 500 })) {
          const row = r as Row;
          // A record read again meanwhile (a decision's touch) may be newer than this batch's copy.
          const current = this.entries.get(row.sha256);
          const fresher = current && row.updatedAt && current.updatedAt > row.updatedAt;
          entries.set(row.sha256, fresher ? current : toEntry(row));
          if (row.updatedAt && row.updatedAt > newest) newest = row.updatedAt;
        }
        this.entries = entries;
        this.newest = newest;
        this.fullAt = started;
        this.changed();
      } else {
        // From POLL_MARGIN_MS before the newest seen: a writer stamps `updatedAt` before its write lands,
        // so a record stamped earlier may land after a later one was read. Unchanged ones change nothing.
        const since = new Date(this.newest.getTime() - POLL_MARGIN_MS);
        this.apply(await this.models.Document.find({ updatedAt: { $gte: since } }, PROJECTION).lean<Row[]>(), true);
      }
      this.polledAt = started;
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Reads one document again (after a decision through this server). */
  async touch(sha256: string): Promise<void> {
    const row = await this.models.Document.findOne({ sha256 }, PROJECTION).lean<Row>();
    // Not a poll: records other processes wrote before this one may not have been read yet.
    if (row) this.apply([row], false);
    else if (this.entries.delete(sha256)) this.changed();
  }

  private derive(): Derived {
    if (this.derived) return this.derived;
    const all = [...this.entries.values()];
    let flagsLeftAll = 0;
    const problems: Record<string, unknown>[] = [];
    for (const e of all) {
      if (e.status === 'needs_review') flagsLeftAll += e.flagsLeft;
      if (e.problem && problems.length < MAX_PROBLEMS)
        problems.push({ sha256: e.sha256, source: e.source, ...e.problem });
    }
    const flags = all.slice().sort(byFlags);
    this.onTop?.(
      flags
        .filter((e) => e.status === 'needs_review')
        .slice(0, HEAD)
        .map((e) => e.sha256),
    );
    this.derived = {
      flags,
      oldest: all.sort(byAge),
      flagsLeftAll,
      problems,
      pages: new Map(),
    };
    return this.derived;
  }

  /** The listing for a query, serialised (JSON), or why the query is refused. */
  async list(query: QueueQuery): Promise<string | { code: 'BAD_VALUE'; message: string }> {
    const statuses = (query.status ?? 'needs_review').split(',').filter((s) => s !== '');
    const unknown = statuses.find((s) => !(DOCUMENT_STATUSES as readonly string[]).includes(s));
    if (unknown)
      return { code: 'BAD_VALUE', message: `status ${unknown} is not one of ${DOCUMENT_STATUSES.join(', ')}` };
    const year = query.year ? Number(query.year) : null;
    if (year !== null && !Number.isInteger(year)) return { code: 'BAD_VALUE', message: 'year must be an integer' };
    const now = Date.now();
    if (this.fullAt === 0) await this.refresh(true);
    else if (!this.loading && now - this.polledAt > POLL_MS)
      void this.refresh(now - this.fullAt > FULL_RELOAD_MS).catch(() => undefined);
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(query.limit ?? '50', 10) || 50));
    const offset = Math.max(0, Number.parseInt(query.offset ?? '0', 10) || 0);
    const sort = query.sort === 'oldest' ? 'oldest' : 'flags';
    const derived = this.derive();
    const key = JSON.stringify([
      statuses,
      query.issuer,
      query.region,
      year,
      query.template,
      query.flag,
      sort,
      limit,
      offset,
    ]);
    const hit = derived.pages.get(key);
    if (hit !== undefined) return hit;
    const wanted = new Set(statuses);
    const match = (e: Entry): boolean =>
      wanted.has(e.status) &&
      (!query.issuer || (e.issuer ?? '').includes(query.issuer)) &&
      (!query.region || (e.region ?? '').includes(query.region)) &&
      (year === null || e.year === year) &&
      (!query.template || e.template === query.template) &&
      (!query.flag || e.flagKinds.includes(query.flag));
    const matching = derived[sort].filter(match);
    const body = JSON.stringify({
      total: matching.length,
      flagsLeftAll: derived.flagsLeftAll,
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
      problems: derived.problems,
    });
    if (derived.pages.size >= MAX_CACHED_LISTINGS) derived.pages.clear();
    derived.pages.set(key, body);
    return body;
  }
}
