import { refreshRun, type Models } from '../models/index.js';
import type { ExtractQueue } from '../queue/index.js';

/** Runs and review documents listed; `--json` consumers page through MongoDB for more. */
const LIST_LIMIT = 20;

export interface QueueStatus {
  readonly queues: Record<string, number>;
  readonly workers: number;
  readonly runs: readonly {
    runId: string;
    kind: string;
    status: string;
    counts: Record<string, number>;
    startedAt: Date;
    finishedAt: Date | null;
  }[];
  readonly failuresByCode: readonly { code: string; count: number }[];
  readonly needsReview: {
    readonly count: number;
    readonly top: readonly { sha256: string; path: string | null; flagged: number; meanConfidence: number | null }[];
  };
  readonly documents: Record<string, number>;
}

/** Everything `docq status` shows: queue counts, workers, recent runs, failures by code, review backlog. */
export async function gatherStatus(models: Models, queue: ExtractQueue): Promise<QueueStatus> {
  // Bring open runs' counts up to date first (workers refresh them too, but may all be gone).
  for (const run of await models.IngestRun.find({ status: 'running' }, { runId: 1 }).limit(LIST_LIMIT).lean())
    await refreshRun(models, run.runId);
  const [counts, workers, runs, failures, reviewCount, review, byStatus] = await Promise.all([
    queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children', 'prioritized'),
    queue.getWorkersCount(),
    models.IngestRun.find({}, { runId: 1, kind: 1, status: 1, counts: 1, startedAt: 1, finishedAt: 1 })
      .sort({ startedAt: -1 })
      .limit(LIST_LIMIT)
      .lean(),
    models.Document.aggregate<{ _id: string | null; count: number }>([
      { $match: { status: 'failed' } },
      { $group: { _id: '$error.code', count: { $sum: 1 } } },
      { $sort: { count: -1 } },
    ]),
    models.Document.countDocuments({ status: 'needs_review' }),
    models.Document.find({ status: 'needs_review' }, { sha256: 1, source: 1, summary: 1 })
      .sort({ 'summary.flagged': -1 })
      .limit(LIST_LIMIT)
      .lean(),
    models.Document.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]),
  ]);
  return {
    queues: counts,
    workers,
    runs: runs.map((r) => ({
      runId: r.runId,
      kind: r.kind,
      status: r.status,
      counts: { ...r.counts },
      startedAt: r.startedAt,
      finishedAt: r.finishedAt ?? null,
    })),
    failuresByCode: failures.map((f) => ({ code: f._id ?? 'UNKNOWN', count: f.count })),
    needsReview: {
      count: reviewCount,
      top: review.map((d) => ({
        sha256: d.sha256,
        path: d.source.path ?? d.source.url ?? null,
        flagged: d.summary.flagged ?? 0,
        meanConfidence: d.summary.meanConfidence ?? null,
      })),
    },
    documents: Object.fromEntries(byStatus.map((s) => [s._id, s.n])),
  };
}
