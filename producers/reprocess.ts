import type { QueryFilter } from 'mongoose';
import type { DocumentRecord, Models } from '../models/index.js';
import {
  DOCUMENT_JOB_OPTIONS,
  JOB_NAMES,
  reprocessJobId,
  type DocumentJobData,
  type ExtractQueue,
} from '../queue/index.js';
import { stat } from 'node:fs/promises';
import { openRun } from './open-run.js';
import { olderVersions, pipelineVersionUses } from './pipeline-versions.js';

export type ReprocessSelector =
  | { readonly kind: 'failed' }
  | { readonly kind: 'needs-review' }
  | { readonly kind: 'below'; readonly confidence: number }
  | { readonly kind: 'pipeline-older-than'; readonly version: string }
  | { readonly kind: 'doc'; readonly sha256: string };

export interface ReprocessResult {
  readonly runId: string;
  readonly selected: number;
  readonly queued: number;
  /** Selected but without a local file to read again (e.g. the file was moved away). */
  readonly noSource: number;
  /** Of those, documents whose last good result was kept, with SOURCE_MISSING recorded on them. */
  readonly kept: number;
}

/** Documents re-queued per `addBulk`. */
const REPROCESS_BATCH = 500;

async function selectorFilter(models: Models, selector: ReprocessSelector): Promise<QueryFilter<DocumentRecord>> {
  switch (selector.kind) {
    case 'failed':
      return { status: 'failed' };
    case 'needs-review':
      return { status: 'needs_review' };
    case 'below':
      return { 'summary.meanConfidence': { $lt: selector.confidence } };
    case 'pipeline-older-than': {
      const older = olderVersions(await pipelineVersionUses(models), selector.version);
      return { pipelineVersion: { $in: older } };
    }
    case 'doc':
      return selector.sha256.length === 64
        ? { sha256: selector.sha256 }
        : { sha256: { $regex: `^${selector.sha256.replace(/[^0-9a-f]/g, '')}` } };
  }
}

export function describeSelector(selector: ReprocessSelector): string {
  switch (selector.kind) {
    case 'below':
      return `below:${selector.confidence}`;
    case 'pipeline-older-than':
      return `pipeline-older-than:${selector.version}`;
    case 'doc':
      return `doc:${selector.sha256}`;
    default:
      return selector.kind;
  }
}

/**
 * Re-queues the selected documents under a new reprocess run: attempts reset, status queued, job
 * ids from hash + run (the first pass's retained job must not swallow them). Corrections live
 * apart from the extracted cells, so they survive.
 */
export async function reprocess(
  models: Models,
  queue: ExtractQueue,
  selector: ReprocessSelector,
  pipelineVersion: string,
): Promise<ReprocessResult> {
  const filter = await selectorFilter(models, selector);
  const run = await openRun(models, {
    kind: 'reprocess',
    inputs: [describeSelector(selector), new Date().toISOString()],
    pipelineVersion,
    resume: false,
  });
  let selected = 0;
  let queued = 0;
  let noSource = 0;
  let batch: DocumentJobData[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const shas = current.map((d) => d.sha256);
    // The finished status is remembered: a worker that then finds the file gone keeps that result.
    for (const status of ['done', 'needs_review', 'failed'] as const)
      await models.Document.updateMany({ sha256: { $in: shas }, status }, { $set: { previousStatus: status } });
    await models.Document.updateMany(
      { sha256: { $in: shas } },
      { $set: { status: 'queued', attempts: 0, runId: run.runId, queuedAt: new Date() } },
    );
    await queue.addBulk(
      current.map((data) => ({
        name: JOB_NAMES.document,
        data,
        opts: { ...DOCUMENT_JOB_OPTIONS, jobId: reprocessJobId(data.sha256, pipelineVersion, run.runId) },
      })),
    );
    queued += current.length;
  };
  let kept = 0;
  for await (const doc of models.Document.find(filter, { sha256: 1, source: 1, status: 1 }).lean().cursor()) {
    selected++;
    const path = doc.source.path;
    if (path === undefined || path === '' || !(await isFile(path))) {
      noSource++;
      // A moved file must not demote a good result: it stays, and the record says the file is gone.
      const missing = {
        code: 'SOURCE_MISSING',
        message: `${path ?? 'no path'} is missing; the last result is kept`,
        stage: 'intake',
      };
      if (doc.status === 'done' || doc.status === 'needs_review') {
        await models.Document.updateOne(
          { sha256: doc.sha256 },
          { $push: { problems: missing }, $inc: { problemCount: 1 } },
        );
        kept++;
      }
      continue;
    }
    batch.push({
      sha256: doc.sha256,
      path,
      runId: run.runId,
      pipelineVersion,
      ...(doc.source.url !== undefined ? { url: doc.source.url } : {}),
      ...(doc.source.crawlId !== undefined ? { crawlId: doc.source.crawlId } : {}),
      ...(doc.source.original !== undefined ? { original: doc.source.original } : {}),
    });
    if (batch.length >= REPROCESS_BATCH) await flush();
  }
  await flush();
  await models.IngestRun.updateOne(
    { runId: run.runId },
    { $set: { queueing: false, 'counts.files': selected, 'counts.skipped': noSource } },
  );
  return { runId: run.runId, selected, queued, noSource, kept };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
