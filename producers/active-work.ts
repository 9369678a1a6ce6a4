import type { Queue } from 'bullmq';
import type { ExtractJobData } from '../queue/create-extract-queue.js';
import type { WorkDone } from './page-eta.js';

/** More active jobs than this are not read (each is one Redis hash); the ETA then credits them on finish. */
const MAX_ACTIVE = 200;

function pageProgressOf(progress: unknown): { done: number; total: number } | null {
  if (typeof progress !== 'object' || progress === null) return null;
  const { done, total } = progress as { done?: unknown; total?: unknown };
  return typeof done === 'number' && typeof total === 'number' && total > 0 ? { done, total } : null;
}

/**
 * Pages done so far by the run's active whole-document jobs (workers/page-progress.ts), and their
 * share of each document's size. Page-range jobs of a fanned-out scan are left out: their
 * progress is of a range, not of the document. Cheap: as many jobs as workers are busy.
 */
export async function activeWork(
  queue: Pick<Queue<ExtractJobData>, 'getActive'>,
  runId: string,
  sizes: ReadonlyMap<string, number>,
): Promise<WorkDone> {
  let bytes = 0;
  let pages = 0;
  for (const job of await queue.getActive(0, MAX_ACTIVE - 1)) {
    if (job.data.runId !== runId || 'from' in job.data) continue;
    const progress = pageProgressOf(job.progress);
    if (!progress) continue;
    const done = Math.min(progress.done, progress.total);
    pages += done;
    bytes += ((sizes.get(job.data.sha256) ?? 0) * done) / progress.total;
  }
  return { bytes, pages };
}
