import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** Queue and job names shared by producers (ingest, crawl, reprocess) and workers. */

/** One job per document (and its page-range children when a scan fans out). */
export const EXTRACT_QUEUE = 'extract';
/** Crawl jobs and their schedulers (producers/crawl*). */
export const CRAWL_QUEUE = 'crawl';

export const JOB_NAMES = {
  /** A whole document: DocumentJobData. */
  document: 'document',
  /** A page range of a fanned-out scan: PagesJobData (child of a document job). */
  pages: 'pages',
} as const;

export type ExtractJobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

/** Default key prefix; on Redis Cluster use a hash tag such as `{docq}` so a queue's keys share a slot. */
export const DEFAULT_QUEUE_PREFIX = 'docq';

/**
 * The BullMQ key prefix: `DOCQ_QUEUE_PREFIX`; else, on the embedded database, `docq-` and a hash of
 * its data directory, so jobs queued for one database are never taken by a worker of another that
 * shares the Redis (the private Redis answers on one port for every data directory); else `docq`.
 * Tests set a unique one per file.
 */
export function queuePrefix(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['DOCQ_QUEUE_PREFIX']?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const mongoUri = env['MONGODB_URI'];
  if (mongoUri !== undefined && mongoUri !== '') return DEFAULT_QUEUE_PREFIX;
  const dataDir = resolve(env['DOCQ_DATA_DIR'] ?? './.docq/db');
  return `${DEFAULT_QUEUE_PREFIX}-${createHash('sha256').update(dataDir).digest('hex').slice(0, 10)}`;
}
