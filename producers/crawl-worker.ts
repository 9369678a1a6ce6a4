import { Worker } from 'bullmq';
import { crawlStateModel } from '../models/crawl-state.model.js';
import { connectModels } from '../models/connect.js';
import { connectionOptions, redisUrl } from '../queue/connection.js';
import { createExtractQueue } from '../queue/create-extract-queue.js';
import { CRAWL_QUEUE, queuePrefix } from '../queue/names.js';
import type { CrawlJobData } from './crawl-schedule.js';
import { createCrawlProcessor, type CrawlJobResult, type CrawlProcessorDeps } from './crawl.processor.js';
import { defaultBlobDir } from './store-blob.js';

/** Crawls spend their time waiting on the network; a couple at once per process is plenty. */
export const CRAWL_CONCURRENCY = 2;

/**
 * Runs crawl jobs in this process, not sandboxed: a crawl is network-bound and its CPU work (hashing,
 * link scanning) is small, so it cannot starve BullMQ's lock renewal.
 */
export function startCrawlWorker(
  deps: CrawlProcessorDeps,
  opts: { url?: string; prefix?: string; concurrency?: number } = {},
): Worker<CrawlJobData, CrawlJobResult> {
  return new Worker<CrawlJobData, CrawlJobResult>(CRAWL_QUEUE, createCrawlProcessor(deps), {
    connection: connectionOptions(opts.url ?? redisUrl()),
    prefix: opts.prefix ?? queuePrefix(),
    concurrency: opts.concurrency ?? CRAWL_CONCURRENCY,
  });
}

export interface RunningCrawlWorker {
  readonly worker: Worker<CrawlJobData, CrawlJobResult>;
  /** Lets running crawls finish (BullMQ's close), then closes the queue and the database. */
  close(): Promise<void>;
}

/** Everything `docq worker` needs for crawls: its own database connection, extract queue and worker. */
export async function runCrawlWorker(opts: {
  mongoUri?: string;
  redisUrl?: string;
  prefix?: string;
  blobDir?: string;
  pipelineVersion: string;
  concurrency?: number;
}): Promise<RunningCrawlWorker> {
  const db = await connectModels(opts.mongoUri !== undefined ? { uri: opts.mongoUri } : {});
  const CrawlState = crawlStateModel(db.models.connection);
  await CrawlState.createIndexes();
  const queueOpts = {
    ...(opts.redisUrl !== undefined ? { url: opts.redisUrl } : {}),
    ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
  };
  const extractQueue = createExtractQueue(queueOpts);
  const worker = startCrawlWorker(
    {
      models: db.models,
      CrawlState,
      extractQueue,
      blobDir: opts.blobDir ?? defaultBlobDir(),
      pipelineVersion: opts.pipelineVersion,
    },
    { ...queueOpts, ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}) },
  );
  return {
    worker,
    close: async () => {
      await worker.close();
      await extractQueue.close();
      await db.close();
    },
  };
}
