import { Queue } from 'bullmq';
import { connectionOptions, redisUrl } from './connection.js';
import type { DocumentJobData, PagesJobData } from './job-data.js';
import { DOCUMENT_JOB_OPTIONS } from './job-options.js';
import { EXTRACT_QUEUE, queuePrefix, type ExtractJobName } from './names.js';

export type ExtractJobData = DocumentJobData | PagesJobData;
export type ExtractQueue = Queue<ExtractJobData, unknown, ExtractJobName>;

/** The extract queue with docq's defaults; producers add `document` jobs with `documentJobId` ids. */
export function createExtractQueue(opts: { url?: string; prefix?: string } = {}): ExtractQueue {
  return new Queue<ExtractJobData, unknown, ExtractJobName>(EXTRACT_QUEUE, {
    connection: connectionOptions(opts.url ?? redisUrl()),
    prefix: opts.prefix ?? queuePrefix(),
    defaultJobOptions: DOCUMENT_JOB_OPTIONS,
  });
}
