import type { Models } from '../models/index.js';

/** Runs, failed and review documents listed; `--failed` and the API page through the rest. */
const LIST_LIMIT = 20;

/**
 * Read-only access to the collections status reads, by aggregation pipelines only: MongoDB, the
 * embedded server, or the embedded server's files read while no server runs (`docq status` must
 * not start one). Pipelines use $match/$sort/$limit/$project/$group, which all three run alike.
 */
export interface StatusReader {
  aggregate<T>(collection: 'documents' | 'ingest_runs', pipeline: Record<string, unknown>[]): Promise<T[]>;
}

/** The queue side: BullMQ's counts, when a Redis answers. */
export interface QueueCounter {
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
  getWorkersCount(): Promise<number>;
}

export function readerOfModels(models: Models): StatusReader {
  return {
    aggregate: async <T>(collection: string, pipeline: Record<string, unknown>[]) => {
      const db = models.connection.db;
      if (!db) throw new Error('the MongoDB connection is not open');
      return (await db.collection(collection).aggregate(pipeline).toArray()) as T[];
    },
  };
}

export interface FailedDocument {
  readonly sha256: string;
  /** The file path, or the URL of a crawled document. */
  readonly source: string | null;
  readonly code: string;
  readonly message: string;
  readonly stage: string;
  readonly attempts: number;
  readonly runId: string | null;
  readonly finishedAt: Date | null;
}

export interface RunSummary {
  readonly runId: string;
  readonly kind: string;
  readonly status: string;
  readonly counts: Record<string, number>;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export interface QueueStatus {
  /** Null when no Redis answers (nothing is being processed then). */
  readonly queues: Record<string, number> | null;
  readonly workers: number | null;
  readonly runs: readonly RunSummary[];
  readonly failuresByCode: readonly { code: string; count: number }[];
  readonly failed: { readonly count: number; readonly top: readonly FailedDocument[] };
  readonly needsReview: {
    readonly count: number;
    readonly top: readonly { sha256: string; path: string | null; flagged: number; meanConfidence: number | null }[];
  };
  readonly documents: Record<string, number>;
  /** Why the job counts and the document counts differ, and what could not be read. */
  readonly notes: readonly string[];
}

type StoredDoc = {
  sha256: string;
  source?: { path?: string; url?: string };
  error?: { code?: string; message?: string; stage?: string } | null;
  attempts?: number;
  runId?: string;
  finishedAt?: Date;
  summary?: { flagged?: number; meanConfidence?: number | null };
};

export function toFailedDocument(d: StoredDoc): FailedDocument {
  return {
    sha256: d.sha256,
    source: d.source?.path ?? d.source?.url ?? null,
    code: d.error?.code ?? 'UNKNOWN',
    message: d.error?.message ?? '',
    stage: d.error?.stage ?? '',
    attempts: d.attempts ?? 0,
    runId: d.runId ?? null,
    finishedAt: d.finishedAt ?? null,
  };
}

const FAILED_FIELDS = { sha256: 1, source: 1, error: 1, attempts: 1, runId: 1, finishedAt: 1 };

/** Failed documents, newest first, optionally of one error code. */
export async function listFailed(
  reader: StatusReader,
  opts: { code?: string; runId?: string; limit?: number } = {},
): Promise<FailedDocument[]> {
  const match: Record<string, unknown> = { status: 'failed' };
  if (opts.code !== undefined) match['error.code'] = opts.code;
  if (opts.runId !== undefined) match['runId'] = opts.runId;
  const pipeline: Record<string, unknown>[] = [
    { $match: match },
    { $project: FAILED_FIELDS },
    { $sort: { finishedAt: -1, sha256: 1 } },
  ];
  if (opts.limit !== undefined) pipeline.push({ $limit: opts.limit });
  return (await reader.aggregate<StoredDoc>('documents', pipeline)).map(toFailedDocument);
}

/** Documents of the given runs counted by status (what `refreshRun` stores), without writing anything. */
async function countRuns(
  reader: StatusReader,
  runIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const rows = await reader.aggregate<{ _id: { runId: string; status: string }; n: number }>('documents', [
    { $match: { runId: { $in: runIds } } },
    { $group: { _id: { runId: '$runId', status: '$status' }, n: { $sum: 1 } } },
  ]);
  const byRun = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = byRun.get(row._id.runId) ?? {};
    counts[row._id.status] = row.n;
    byRun.set(row._id.runId, counts);
  }
  return byRun;
}

async function recentRuns(reader: StatusReader): Promise<RunSummary[]> {
  const runs = await reader.aggregate<RunSummary & { queueing?: boolean }>('ingest_runs', [
    { $sort: { startedAt: -1 } },
    { $limit: LIST_LIMIT },
    { $project: { _id: 0, runId: 1, kind: 1, status: 1, counts: 1, startedAt: 1, finishedAt: 1, queueing: 1 } },
  ]);
  const open = runs.filter((r) => r.status === 'running');
  const live =
    open.length > 0
      ? await countRuns(
          reader,
          open.map((r) => r.runId),
        )
      : new Map();
  return runs.map((r) => {
    const now = live.get(r.runId) as Record<string, number> | undefined;
    if (!now) return { ...r, finishedAt: r.finishedAt ?? null };
    const done = now['done'] ?? 0;
    const needsReview = now['needs_review'] ?? 0;
    const failed = now['failed'] ?? 0;
    const queued = done + needsReview + failed + (now['queued'] ?? 0) + (now['processing'] ?? 0);
    // Every document finished and the producer done: complete, though no worker was left to record it.
    const settled = r.queueing !== true && done + needsReview + failed >= queued;
    return {
      runId: r.runId,
      kind: r.kind,
      status: settled ? 'complete' : r.status,
      counts: { ...r.counts, queued, done, needsReview, failed },
      startedAt: r.startedAt,
      finishedAt: r.finishedAt ?? null,
    };
  });
}

/** Sentences explaining a mismatch a reader would otherwise take for a bug. */
function explain(
  documents: Record<string, number>,
  queues: Record<string, number> | null,
  workers: number | null,
): string[] {
  const notes: string[] = [];
  const processing = (documents['processing'] ?? 0) + (documents['queued'] ?? 0);
  if (queues === null) {
    notes.push(
      'Redis is not running: queue counts unavailable (no docq command is using the private Redis; nothing is being processed)',
    );
    if (processing > 0)
      notes.push(
        `${processing} documents are queued or processing but no queue is running: \`docq worker\` (or \`docq ingest --workers N\`) picks them up`,
      );
    return notes;
  }
  if ((documents['processing'] ?? 0) > 0 && workers === 0)
    notes.push(
      `${documents['processing']} documents are marked processing but no worker is connected: their jobs were interrupted and run again when a worker starts (\`docq worker\`)`,
    );
  const failedJobs = queues['failed'] ?? 0;
  const failedDocs = documents['failed'] ?? 0;
  if (failedJobs !== failedDocs)
    notes.push(
      `${failedJobs} failed jobs in Redis vs ${failedDocs} failed documents: Redis keeps the jobs of earlier attempts and runs (a document reprocessed or fixed since still has its old failed job; page jobs of a scan count separately), and removes the oldest; the documents are the truth`,
    );
  return notes;
}

/** Everything `docq status` and `GET /status` show; reads only, so it is safe while nothing runs. */
export async function gatherStatus(reader: StatusReader, queue: QueueCounter | null): Promise<QueueStatus> {
  const [queues, workers, runs, failures, failedTop, review, byStatus] = await Promise.all([
    queue?.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children', 'prioritized') ??
      null,
    queue?.getWorkersCount() ?? null,
    recentRuns(reader),
    reader.aggregate<{ _id: string | null; count: number }>('documents', [
      { $match: { status: 'failed' } },
      { $group: { _id: '$error.code', count: { $sum: 1 } } },
      { $sort: { count: -1, _id: 1 } },
    ]),
    listFailed(reader, { limit: LIST_LIMIT }),
    reader.aggregate<StoredDoc>('documents', [
      { $match: { status: 'needs_review' } },
      { $project: { sha256: 1, source: 1, summary: 1 } },
      { $sort: { 'summary.flagged': -1, sha256: 1 } },
      { $limit: LIST_LIMIT },
    ]),
    reader.aggregate<{ _id: string; n: number }>('documents', [{ $group: { _id: '$status', n: { $sum: 1 } } }]),
  ]);
  const documents = Object.fromEntries(byStatus.map((s) => [s._id, s.n]));
  return {
    queues,
    workers,
    runs,
    failuresByCode: failures.map((f) => ({ code: f._id ?? 'UNKNOWN', count: f.count })),
    failed: { count: documents['failed'] ?? 0, top: failedTop },
    needsReview: {
      count: documents['needs_review'] ?? 0,
      top: review.map((d) => ({
        sha256: d.sha256,
        path: d.source?.path ?? d.source?.url ?? null,
        flagged: d.summary?.flagged ?? 0,
        meanConfidence: d.summary?.meanConfidence ?? null,
      })),
    },
    documents,
    notes: explain(documents, queues, workers),
  };
}
