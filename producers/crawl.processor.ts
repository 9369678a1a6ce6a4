import { UnrecoverableError, type Job } from 'bullmq';
import type { Model } from 'mongoose';
import type { CrawlStateDoc } from '../models/crawl-state.model.js';
import type { StoredDocumentStatus } from '../models/document.model.js';
import { MAX_RUN_SAMPLES, type RunSample } from '../models/ingest-run.model.js';
import type { Models } from '../models/models.js';
import type { ExtractQueue } from '../queue/create-extract-queue.js';
import { documentJobId } from '../queue/job-ids.js';
import { JOB_NAMES } from '../queue/names.js';
import { parseCrawlSpec, type CrawlJobData } from './crawl-schedule.js';
import {
  crawlSite,
  type CrawledDocument,
  type CrawlStateStore,
  type CrawlSummary,
  type RetryAfterWait,
} from './crawl-site.js';
import type { FetchFailure } from './fetch-document.js';
import { createHostRateLimit } from './host-rate-limit.js';
import { refreshRun } from './run-progress.js';

/**
 * The crawl job: one IngestRun per crawl job (a retry reuses it), validators from crawl_state,
 * new or changed documents queued as ordinary extract jobs (job id from the content hash), every
 * fetch failure counted and sampled on the run.
 */

export interface CrawlProcessorDeps {
  /** IngestRun for the run, Document for "already extracted?" and the queued record. */
  readonly models: Models;
  readonly CrawlState: Model<CrawlStateDoc>;
  readonly extractQueue: ExtractQueue;
  readonly blobDir: string;
  readonly pipelineVersion: string;
}

export interface CrawlJobResult extends CrawlSummary {
  readonly runId: string;
  /** New or changed by hash, but already extracted (say, by `docq ingest`) with this pipeline version. */
  readonly alreadyDone: number;
}

/** Finished documents, whatever their outcome: re-extracting identical bytes gives the same result. */
const FINISHED: StoredDocumentStatus[] = ['done', 'needs_review', 'failed'];

export function createCrawlProcessor(
  deps: CrawlProcessorDeps,
): (job: Job<CrawlJobData>, token?: string, signal?: AbortSignal) => Promise<CrawlJobResult> {
  return async (job, _token, signal) => {
    const spec = parseCrawlSpec(job.data);
    if ('code' in spec) throw new UnrecoverableError(`${spec.code}: ${spec.message}`);
    const runId = `crawl-${job.id ?? spec.name}`;
    const now = new Date();
    const { IngestRun, Document } = deps.models;
    // A retried attempt re-crawls from the start: its fetch failures replace the previous attempt's.
    await IngestRun.updateOne(
      { runId },
      {
        $setOnInsert: {
          runId,
          kind: 'crawl',
          inputKey: `crawl:${spec.name}`,
          roots: [spec.url],
          crawlId: spec.name,
          pipelineVersion: deps.pipelineVersion,
          startedAt: now,
        },
        $set: {
          status: 'running',
          queueing: true,
          fetchFailures: [],
          'counts.fetchFailed': 0,
          retryAfterWaits: [],
          'counts.retryAfterWaits': 0,
          finishedAt: null,
        },
      },
      { upsert: true },
    );
    // Earlier runs of this crawl finish when their documents do; nobody may be watching them, so
    // each run brings the still-open ones up to date (counting, so it is idempotent).
    const open = await IngestRun.find(
      { crawlId: spec.name, kind: 'crawl', status: 'running', runId: { $ne: runId } },
      { runId: 1 },
    ).lean();
    for (const earlier of open) await refreshRun(deps.models, earlier.runId);
    let alreadyDone = 0;

    const state: CrawlStateStore = {
      get: async (url) => {
        const found = await deps.CrawlState.findOne({ crawlId: spec.name, url }).lean();
        if (found === null) return null;
        return {
          sha256: found.sha256,
          size: found.size,
          etag: found.etag ?? undefined,
          lastModified: found.lastModified ?? undefined,
        };
      },
      save: async (url, record) => {
        const at = new Date();
        const previous = await deps.CrawlState.findOneAndUpdate(
          { crawlId: spec.name, url },
          {
            $set: {
              sha256: record.sha256,
              size: record.size,
              etag: record.etag ?? null,
              lastModified: record.lastModified ?? null,
              lastFetchedAt: at,
            },
          },
          { upsert: true, returnDocument: 'before', projection: { sha256: 1 } },
        ).lean();
        if (previous?.sha256 !== record.sha256)
          await deps.CrawlState.updateOne({ crawlId: spec.name, url }, { $set: { changedAt: at } });
      },
    };

    const queueDocument = async (doc: CrawledDocument): Promise<void> => {
      const done = await Document.exists({
        sha256: doc.sha256,
        pipelineVersion: deps.pipelineVersion,
        status: { $in: FINISHED },
      });
      if (done !== null) {
        alreadyDone++;
        await IngestRun.updateOne({ runId }, { $inc: { 'counts.files': 1, 'counts.alreadyDone': 1 } });
        return;
      }
      // As `docq ingest` does: the document joins this run as queued (results of an older pipeline
      // go back to queued), then the job is added; run progress counts documents by runId.
      const at = new Date();
      const source = { url: doc.url, path: doc.path, crawlId: spec.name };
      const recorded = await Document.updateOne(
        { sha256: doc.sha256 },
        { $set: { runId, source }, $setOnInsert: { sha256: doc.sha256, status: 'queued', queuedAt: at } },
        { upsert: true },
      );
      await Document.updateOne(
        { sha256: doc.sha256, status: { $in: FINISHED } },
        { $set: { status: 'queued', queuedAt: at } },
      );
      await deps.extractQueue.add(
        JOB_NAMES.document,
        {
          sha256: doc.sha256,
          path: doc.path,
          url: doc.url,
          crawlId: spec.name,
          runId,
          pipelineVersion: deps.pipelineVersion,
          ...(recorded.upsertedCount === 1 ? { fresh: true } : {}),
        },
        { jobId: documentJobId(doc.sha256, deps.pipelineVersion) },
      );
      await IngestRun.updateOne({ runId }, { $inc: { 'counts.files': 1 } });
      await job.log(`queued ${doc.change} ${doc.sourceKind} ${doc.url} sha256=${doc.sha256}`);
    };

    const recordFailure = async (failure: FetchFailure): Promise<void> => {
      const sample: RunSample = { url: failure.url, reason: failure.message, code: failureCode(failure) };
      await IngestRun.updateOne(
        { runId },
        { $inc: { 'counts.fetchFailed': 1 }, $push: { fetchFailures: { $each: [sample], $slice: MAX_RUN_SAMPLES } } },
      );
      await job.log(`fetch failed ${sample.code} ${failure.url}: ${failure.message}`);
    };

    const recordRetryAfter = async (wait: RetryAfterWait): Promise<void> => {
      const seconds = Math.round(wait.waitMs / 1000);
      const sample: RunSample = {
        url: wait.url,
        reason: `${wait.message}: host paused ${seconds} s, then retried`,
        code: `HTTP_${wait.status}`,
      };
      await IngestRun.updateOne(
        { runId },
        {
          $inc: { 'counts.retryAfterWaits': 1 },
          $push: { retryAfterWaits: { $each: [sample], $slice: MAX_RUN_SAMPLES } },
        },
      );
      await job.log(`retry-after ${wait.status} ${wait.url}: waiting ${seconds} s`);
    };

    const summary = await crawlSite(spec, {
      blobDir: deps.blobDir,
      state,
      rateLimit: createHostRateLimit(spec.minIntervalMs),
      queueDocument,
      recordFailure,
      recordRetryAfter,
      signal,
    });
    // Queueing is over: the run completes when its documents have (at once if none were queued).
    await IngestRun.updateOne({ runId }, { $set: { queueing: false } });
    await refreshRun(deps.models, runId);
    await job.updateProgress(100);
    return { ...summary, runId, alreadyDone };
  };
}

/** `HTTP_404`, `TIMEOUT`, `NOT_A_DOCUMENT`, `TOO_LARGE`, `NETWORK`: groupable in `docq status`. */
export function failureCode(failure: FetchFailure): string {
  if (failure.reason === 'http-status' && failure.status !== undefined) return `HTTP_${failure.status}`;
  return failure.reason.toUpperCase().replace(/-/g, '_');
}
