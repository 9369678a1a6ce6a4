import { resolve } from 'node:path';
import { startExtractWorker, type RunningWorker } from '../../workers/start-extract-worker.js';
import type { QueueServices } from './queue-services.js';

/** `--workers N` of ingest and reprocess: a positive whole number, or the sentence saying it is not. */
export function checkWorkers(workers: string | undefined): string | null {
  return workers === undefined || /^[1-9]\d*$/.test(workers)
    ? null
    : `--workers takes a positive whole number, not ${workers}`;
}

/** Workers in this command for `--workers N`; the progress bar owns the terminal, so only warnings get through. */
export async function startLocalWorker(
  services: QueueServices,
  workers: string | undefined,
): Promise<RunningWorker | null> {
  if (workers === undefined) return null;
  return startExtractWorker({
    mongoUri: services.db.uri,
    redisUrl: services.redis.url,
    concurrency: Number.parseInt(workers, 10),
    // The job processes' own prints (tesseract, a V8 crash) go to a file, not through the progress line.
    jobOutput: resolve(process.env['DOCQ_JOB_LOG'] ?? '.docq/jobs.log'),
    log: (line) => void (line.startsWith('warning') ? process.stderr.write(`${line}\n`) : undefined),
  });
}
