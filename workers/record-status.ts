import type { Models, StoredDocumentStatus, StoredError } from '../models/index.js';
import type { DocumentJobData } from '../queue/index.js';

/** The job's source as dotted fields: `source.original` (set by ingest --keep-originals) is left as it is. */
function sourceOf(data: DocumentJobData): Record<string, string> {
  return {
    'source.path': data.path,
    ...(data.url !== undefined ? { 'source.url': data.url } : {}),
    ...(data.crawlId !== undefined ? { 'source.crawlId': data.crawlId } : {}),
    ...(data.original !== undefined ? { 'source.original': data.original } : {}),
  };
}

/**
 * The document is being worked on (idempotent: attempts is the job's attempt number, not an increment).
 * Returns true when no pass ever started on it before (no `startedAt`): pages, tables and a report of
 * a sha256 are only written after this mark, so a first pass has no stale records to remove.
 */
export async function markProcessing(models: Models, data: DocumentJobData, attempts: number): Promise<boolean> {
  const before = await models.Document.findOneAndUpdate(
    { sha256: data.sha256 },
    {
      $set: {
        status: 'processing',
        startedAt: new Date(),
        attempts,
        runId: data.runId,
        ...sourceOf(data),
        pipelineVersion: data.pipelineVersion,
      },
      $setOnInsert: { sha256: data.sha256, queuedAt: new Date() },
    },
    { upsert: true, returnDocument: 'before', projection: { startedAt: 1 } },
  ).lean();
  return before?.startedAt == null;
}

/** Results worth keeping when a reprocess cannot read the source again. */
const GOOD: readonly StoredDocumentStatus[] = ['done', 'needs_review'];

/**
 * A reprocess whose file has gone (moved, deleted): the last good result stays as it was (its pages,
 * tables, report and status), and SOURCE_MISSING is added to its problems so a person sees the file
 * is no longer where it was. Returns false when the document has no good result to keep.
 */
export async function keepLastResult(models: Models, data: DocumentJobData, error: StoredError): Promise<boolean> {
  const doc = await models.Document.findOne({ sha256: data.sha256 }, { previousStatus: 1, status: 1 }).lean();
  const kept = doc?.previousStatus ?? (doc && GOOD.includes(doc.status) ? doc.status : null);
  if (!kept || !GOOD.includes(kept)) return false;
  await models.Document.updateOne(
    { sha256: data.sha256 },
    {
      $set: { status: kept, previousStatus: null, runId: data.runId, finishedAt: new Date() },
      $push: { problems: error },
      $inc: { problemCount: 1 },
    },
  );
  return true;
}

/** A final failure found outside the core (file gone or changed, retries exhausted): recorded with its code and stage. */
export async function recordFailure(
  models: Models,
  data: DocumentJobData,
  error: StoredError,
  attempts: number,
): Promise<void> {
  await models.Document.updateOne(
    { sha256: data.sha256 },
    {
      $set: {
        status: 'failed',
        error,
        attempts,
        runId: data.runId,
        ...sourceOf(data),
        pipelineVersion: data.pipelineVersion,
        finishedAt: new Date(),
      },
      $setOnInsert: { sha256: data.sha256, queuedAt: new Date() },
    },
    { upsert: true },
  );
}

/**
 * After a job's last attempt failed for a reason the processor could not record (crash loop, database
 * down until the end): mark the document failed unless the processor already stored a final state.
 */
export async function recordExhausted(
  models: Models,
  data: DocumentJobData,
  message: string,
  attempts: number,
  code = 'RETRIES_EXHAUSTED',
): Promise<void> {
  await models.Document.updateOne(
    { sha256: data.sha256, status: { $in: ['queued', 'processing'] } },
    {
      $set: {
        status: 'failed',
        error: { code, message, stage: 'intake' },
        attempts,
        finishedAt: new Date(),
      },
    },
  );
}
