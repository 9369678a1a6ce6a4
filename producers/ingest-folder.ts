import { basename } from 'node:path';
import { MAX_RUN_SAMPLES, type Models, type RunSample, type StoredDocumentStatus } from '../models/index.js';
import {
  documentJobId,
  DOCUMENT_JOB_OPTIONS,
  JOB_NAMES,
  type DocumentJobData,
  type ExtractQueue,
} from '../queue/index.js';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { hashFile, hashPageSet } from './hash-file.js';
import { storeBlob } from './store-blob.js';
import { openRun } from './open-run.js';
import { walkFiles } from './walk-files.js';

/** Files hashed, looked up and queued together: one `find` and one `addBulk` per batch. */
export const INGEST_BATCH = 500;

const FINISHED: StoredDocumentStatus[] = ['done', 'needs_review', 'failed'];

export interface IngestOptions {
  readonly roots: readonly string[];
  readonly models: Models;
  readonly queue: ExtractQueue;
  readonly pipelineVersion: string;
  readonly batchSize?: number;
  /**
   * Copy each queued file into this content-addressed blob store and read it from there: the results
   * then never depend on the original path (a file moved or deleted later can still be reprocessed).
   */
  readonly keepOriginals?: string;
  /** Re-extract documents another pipeline version finished (default: count them, leave them). */
  readonly refresh?: boolean;
  readonly signal?: AbortSignal;
  /** Every folder holding only page images is one document (else only numbered page series are). */
  readonly pagesAsDocument?: boolean;
  /** Called after each batch with the counts so far. */
  readonly onBatch?: (counts: IngestCounts) => void;
}

export interface IngestCounts {
  /** Supported files seen. */
  files: number;
  skipped: number;
  /** Finished earlier by another run with this pipeline version. */
  alreadyDone: number;
  /** Jobs added by this invocation (duplicates of waiting jobs are folded by the job id). */
  queuedNow: number;
  /** Finished by another (older) pipeline version: left as they are unless `refresh`, then re-queued. */
  olderPipeline: number;
}

export interface IngestQueued extends IngestCounts {
  readonly runId: string;
  readonly resumed: boolean;
  readonly skippedSamples: readonly RunSample[];
}

interface Candidate {
  readonly path: string;
  readonly sha256: string;
  /** Where the file was found, when `path` is its copy in the blob store. */
  readonly original?: string;
  /** A folder of page images: the file names in page order. */
  readonly pages?: readonly string[];
}

/** The candidate read from its copy in the blob store; the original when it changed since it was hashed. */
async function keepOriginal(c: Candidate, blobDir: string): Promise<Candidate> {
  if (c.pages) return c; // a folder of page images is read where it is
  const blob = await storeBlob(
    Readable.toWeb(createReadStream(c.path)) as ReadableStream<Uint8Array>,
    blobDir,
    Number.POSITIVE_INFINITY,
  );
  if (blob.kind !== 'stored' || blob.sha256 !== c.sha256) return c; // the worker's hash check will tell
  return { path: blob.path, sha256: c.sha256, original: c.path };
}

/**
 * Walks the roots, hashes each supported file, skips what is finished, and queues the rest as
 * one IngestRun. Re-running with the same roots resumes the run: finished documents are skipped,
 * waiting jobs are folded by their hash job id, so nothing is done twice and nothing is missed.
 */
export async function ingestFolder(opts: IngestOptions): Promise<IngestQueued> {
  const { models, queue, pipelineVersion } = opts;
  const run = await openRun(models, { kind: 'ingest', inputs: opts.roots, pipelineVersion });
  const counts: IngestCounts = { files: 0, skipped: 0, alreadyDone: 0, queuedNow: 0, olderPipeline: 0 };
  const skippedSamples: RunSample[] = [];
  let batch: Candidate[] = [];
  const seen = new Set<string>();

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const known = await models.Document.find(
      { sha256: { $in: current.map((c) => c.sha256) } },
      { sha256: 1, status: 1, pipelineVersion: 1, runId: 1 },
    ).lean();
    const bySha = new Map(known.map((d) => [d.sha256, d]));
    const toQueue = current.filter((c) => {
      const doc = bySha.get(c.sha256);
      if (!doc || !FINISHED.includes(doc.status)) return true;
      if (doc.pipelineVersion !== pipelineVersion) {
        counts.olderPipeline++;
        return opts.refresh === true;
      }
      if (doc.runId !== run.runId) counts.alreadyDone++;
      return false;
    });
    if (toQueue.length > 0 && opts.keepOriginals !== undefined) {
      for (let i = 0; i < toQueue.length; i++) toQueue[i] = await keepOriginal(toQueue[i]!, opts.keepOriginals);
    }
    if (toQueue.length > 0) {
      const now = new Date();
      await models.Document.bulkWrite(
        toQueue.map((c) => ({
          updateOne: {
            filter: { sha256: c.sha256 },
            update: {
              $set: {
                runId: run.runId,
                source: c.original ? { path: c.path, original: c.original } : { path: c.path },
              },
              $setOnInsert: { sha256: c.sha256, status: 'queued', queuedAt: now },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      // Results of an older pipeline go back to queued; a document being processed keeps its state.
      await models.Document.updateMany(
        { sha256: { $in: toQueue.map((c) => c.sha256) }, status: { $in: FINISHED } },
        { $set: { status: 'queued', queuedAt: now } },
      );
      await removeFinishedJobs(
        queue,
        toQueue.map((c) => documentJobId(c.sha256, pipelineVersion)),
      );
      await queue.addBulk(
        toQueue.map((c) => {
          const data: DocumentJobData = {
            sha256: c.sha256,
            path: c.path,
            runId: run.runId,
            pipelineVersion,
            ...(c.original !== undefined ? { original: c.original } : {}),
            ...(c.pages ? { pages: c.pages } : {}),
            ...(bySha.has(c.sha256) ? {} : { fresh: true }),
          };
          return {
            name: JOB_NAMES.document,
            data,
            opts: { ...DOCUMENT_JOB_OPTIONS, jobId: documentJobId(c.sha256, pipelineVersion) },
          };
        }),
      );
      counts.queuedNow += toQueue.length;
    }
    opts.onBatch?.({ ...counts });
  };

  for await (const entry of walkFiles(opts.roots, { pagesAsDocument: opts.pagesAsDocument === true })) {
    if (opts.signal?.aborted) break;
    if (entry.kind === 'skipped') {
      counts.skipped++;
      if (skippedSamples.length < MAX_RUN_SAMPLES) skippedSamples.push({ path: entry.path, reason: entry.reason });
      continue;
    }
    // Empty files are queued too: the core records EMPTY on the document, so the user sees why.
    counts.files += entry.kind === 'pages' ? entry.pages.length : 1;
    const sha256 = entry.kind === 'pages' ? await hashPageSet(entry.path, entry.pages) : await hashFile(entry.path);
    if (seen.has(sha256)) continue; // the same content twice in the tree: one document
    seen.add(sha256);
    batch.push({ path: entry.path, sha256, ...(entry.kind === 'pages' ? { pages: entry.pages } : {}) });
    if (batch.length >= (opts.batchSize ?? INGEST_BATCH)) await flush();
  }
  await flush();
  const walked = opts.signal?.aborted !== true;
  await models.IngestRun.updateOne(
    { runId: run.runId },
    {
      $set: {
        'counts.files': counts.files,
        'counts.skipped': counts.skipped,
        'counts.alreadyDone': counts.alreadyDone,
        'counts.olderPipeline': counts.olderPipeline,
        skipped: skippedSamples,
        ...(walked ? { queueing: false } : {}),
      },
    },
  );
  return { runId: run.runId, resumed: run.resumed, ...counts, skippedSamples };
}

/**
 * A document that needs processing but whose job id is still retained as completed or failed
 * (the database was reset, or a record was deleted) would be folded into that old job and never
 * run: remove such finished jobs so the add below creates a fresh one.
 */
async function removeFinishedJobs(queue: ExtractQueue, jobIds: readonly string[]): Promise<void> {
  const states = await Promise.all(jobIds.map(async (id) => ({ id, state: await queue.getJobState(id) })));
  for (const { id, state } of states) if (state === 'completed' || state === 'failed') await queue.remove(id);
}

export function describeSkipped(samples: readonly RunSample[]): string[] {
  return samples.map((s) => `skipped ${basename(s.path ?? s.url ?? '?')}: ${s.reason}`);
}
