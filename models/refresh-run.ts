import type { Models } from './models.js';

export interface RunProgress {
  readonly runId: string;
  readonly status: string;
  readonly queued: number;
  readonly done: number;
  readonly needsReview: number;
  readonly failed: number;
  readonly processing: number;
  readonly finished: number;
  readonly complete: boolean;
}

/**
 * Counts a run's documents by status (one aggregation on the runId index) and stores them on the
 * run, marking it complete when every queued document has finished. Counting instead of
 * incrementing keeps it right under replays and duplicate deliveries.
 */
export async function refreshRun(models: Models, runId: string): Promise<RunProgress | null> {
  const run = await models.IngestRun.findOne({ runId }, { status: 1, queueing: 1 }).lean();
  if (!run) return null;
  const groups = await models.Document.aggregate<{ _id: string; n: number }>([
    { $match: { runId } },
    { $group: { _id: '$status', n: { $sum: 1 } } },
  ]);
  const by = (status: string): number => groups.find((g) => g._id === status)?.n ?? 0;
  const queued = groups.reduce((sum, g) => sum + g.n, 0);
  const done = by('done');
  const needsReview = by('needs_review');
  const failed = by('failed');
  const finished = done + needsReview + failed;
  const settled = run.queueing !== true && finished >= queued;
  const complete = run.status === 'complete' || (run.status === 'running' && settled);
  const update: Record<string, unknown> = {
    'counts.queued': queued,
    'counts.done': done,
    'counts.needsReview': needsReview,
    'counts.failed': failed,
  };
  if (run.status === 'running' && settled) {
    update['status'] = 'complete';
    update['finishedAt'] = new Date();
  }
  await models.IngestRun.updateOne({ runId }, { $set: update });
  return {
    runId,
    status: complete ? 'complete' : run.status,
    queued,
    done,
    needsReview,
    failed,
    processing: by('processing'),
    finished,
    complete,
  };
}
