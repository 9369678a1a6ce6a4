import { Gauge, Registry } from 'prom-client';
import type { Models } from '../models/index.js';
import type { ExtractQueue } from '../queue/index.js';

/** Scrapes within this reuse the last database figures: aggregating every document on each scrape would load the server. */
const CACHE_MS = 10_000;
/** The window pages/s and seconds per page are measured over. */
const RATE_WINDOW_MS = 5 * 60_000;

interface DbFigures {
  documents: { status: string; n: number }[];
  failures: { code: string; n: number }[];
  flagged: number;
  cells: number;
  pages: Record<'text-layer' | 'ocr', { pages: number; seconds: number }>;
  crawl: Record<string, number>;
}

type FinishedDoc = {
  summary?: { pages?: number; pagesOcr?: number };
  timings?: Record<string, number>;
};

async function readFigures(models: Models): Promise<DbFigures> {
  const since = new Date(Date.now() - RATE_WINDOW_MS);
  const [documents, failures, cells, recent, crawls] = await Promise.all([
    models.Document.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]),
    models.Document.aggregate<{ _id: string | null; n: number }>([
      { $match: { status: 'failed' } },
      { $group: { _id: '$error.code', n: { $sum: 1 } } },
    ]),
    models.Document.aggregate<{ flagged: number; cells: number }>([
      { $match: { status: { $in: ['done', 'needs_review'] } } },
      { $group: { _id: null, flagged: { $sum: '$summary.flagged' }, cells: { $sum: '$summary.cells' } } },
    ]),
    models.Document.find(
      { finishedAt: { $gte: since }, status: { $in: ['done', 'needs_review'] } },
      { summary: 1, timings: 1 },
    )
      .limit(10_000)
      .lean<FinishedDoc[]>(),
    models.IngestRun.aggregate<{ queued: number; fetchFailed: number; retryAfterWaits: number }>([
      { $match: { kind: 'crawl' } },
      {
        $group: {
          _id: null,
          queued: { $sum: '$counts.files' },
          fetchFailed: { $sum: '$counts.fetchFailed' },
          retryAfterWaits: { $sum: '$counts.retryAfterWaits' },
        },
      },
    ]),
  ]);
  // A document read wholly by one method says what a page of that method costs; mixed ones are left out.
  const pages = { 'text-layer': { pages: 0, seconds: 0 }, ocr: { pages: 0, seconds: 0 } };
  for (const d of recent) {
    const total = d.summary?.pages ?? 0;
    const ocr = d.summary?.pagesOcr ?? 0;
    const ms = Object.values(d.timings ?? {}).reduce((a, b) => a + (Number(b) || 0), 0);
    const method = ocr === 0 ? 'text-layer' : ocr === total ? 'ocr' : null;
    if (method === null || total === 0) continue;
    pages[method].pages += total;
    pages[method].seconds += ms / 1000;
  }
  const crawl = crawls[0] ?? { queued: 0, fetchFailed: 0, retryAfterWaits: 0 };
  return {
    documents: documents.map((d) => ({ status: d._id, n: d.n })),
    failures: failures.map((f) => ({ code: f._id ?? 'UNKNOWN', n: f.n })),
    flagged: cells[0]?.flagged ?? 0,
    cells: cells[0]?.cells ?? 0,
    pages,
    crawl: { queued: crawl.queued, failed: crawl.fetchFailed, retry_after: crawl.retryAfterWaits },
  };
}

/**
 * The Prometheus registry of `GET /metrics` (prom-client), its gauges filled at scrape time from
 * BullMQ's counts and the database: the state of the archive, not counters of this process (the
 * work happens in workers elsewhere), so every API replica reports the same figures.
 */
export function createOpsMetrics(deps: { models: Models; queue: ExtractQueue }): Registry {
  const registry = new Registry();
  let cached: { at: number; figures: Promise<DbFigures> } | null = null;
  const figures = (): Promise<DbFigures> => {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      cached = { at: Date.now(), figures: readFigures(deps.models) };
      cached.figures.catch(() => (cached = null));
    }
    return cached.figures;
  };
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, f: DbFigures) => void | Promise<void>,
  ): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await fill(this, await figures());
      },
    });
  };
  new Gauge({
    name: 'docq_queue_jobs',
    help: 'Extract jobs in the queue by state (BullMQ)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await deps.queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'failed',
        'completed',
        'waiting-children',
        'prioritized',
      );
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  gauge('docq_documents', 'Documents by status', ['status'], (g, f) => {
    for (const d of f.documents) g.set({ status: d.status }, d.n);
  });
  gauge('docq_documents_failed', 'Failed documents by error code', ['code'], (g, f) => {
    for (const d of f.failures) g.set({ code: d.code }, d.n);
  });
  gauge('docq_review_backlog', 'Documents that need review', [], (g, f) => {
    g.set(f.documents.find((d) => d.status === 'needs_review')?.n ?? 0);
  });
  gauge('docq_flagged_cell_ratio', 'Flagged cells / extracted cells over documents with a report', [], (g, f) => {
    g.set(f.cells > 0 ? f.flagged / f.cells : 0);
  });
  gauge('docq_pages_per_second', 'Pages finished per second over the last 5 minutes, by method', ['method'], (g, f) => {
    for (const [method, p] of Object.entries(f.pages)) g.set({ method }, p.pages / (RATE_WINDOW_MS / 1000));
  });
  gauge(
    'docq_seconds_per_page',
    'Processing seconds per page over the last 5 minutes, by method (documents read by one method)',
    ['method'],
    (g, f) => {
      for (const [method, p] of Object.entries(f.pages)) if (p.pages > 0) g.set({ method }, p.seconds / p.pages);
    },
  );
  gauge('docq_crawl_fetches', 'Crawl fetches by outcome over all crawl runs', ['outcome'], (g, f) => {
    for (const [outcome, n] of Object.entries(f.crawl)) g.set({ outcome }, n);
  });
  return registry;
}
