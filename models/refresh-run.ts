import type { StoredDocumentStatus } from './document.model.js';
import type { Models } from './models.js';

/**
 * One `count` per status on the {runId, status} index: both MongoDB and the embedded server answer
 * it from the index alone, where grouping the run's documents by status reads every one of them
 * (and, with no index on runId alone, every document of the collection on the embedded server).
 */
async function countRunDocuments(models: Models, runId: string, status: StoredDocumentStatus): Promise<number> {
  const db = models.connection.db;
  if (!db) throw new Error('the MongoDB connection is not open');
  const reply = await db.command({ count: models.Document.collection.collectionName, query: { runId, status } });
  return Number(reply['n'] ?? 0);
}

/** The next count of a run waits at least this many times as long as the last one took … */
const COUNT_COST_FACTOR = 10;
/** … but never longer than this. */
const MAX_COUNT_DELAY_MS = 10_000;

/**
 * How long to wait before counting a run again (watching it, or refreshing it from a worker): at
 * least `baseMs`, and long enough that the database spends at most about a tenth of its time counting.
 */
export function nextCountDelayMs(baseMs: number, lastCountMs: number): number {
  return Math.min(Math.max(baseMs, COUNT_COST_FACTOR * lastCountMs), MAX_COUNT_DELAY_MS);
}

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
 * Counts a run's documents by status (index counts on {runId, status}) and stores them on the
 * run, marking it complete when every queued document has finished. Counting instead of
 * incrementing keeps it right under replays and duplicate deliveries.
 */
export async function refreshRun(models: Models, runId: string): Promise<RunProgress | null> {
  const run = await models.IngestRun.findOne({ runId }, { status: 1, queueing: 1 }).lean();
  if (!run) return null;
  // Earlier states first: a document moving on between two counts is then counted twice (the run
  // looks unfinished a moment longer), never missed (which could complete a run too early).
  const waiting = await countRunDocuments(models, runId, 'queued');
  const processing = await countRunDocuments(models, runId, 'processing');
  const [done, needsReview, failed] = await Promise.all([
    countRunDocuments(models, runId, 'done'),
    countRunDocuments(models, runId, 'needs_review'),
    countRunDocuments(models, runId, 'failed'),
  ]);
  const finished = done + needsReview + failed;
  const queued = waiting + processing + finished;
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
    processing,
    finished,
    complete,
  };
}
