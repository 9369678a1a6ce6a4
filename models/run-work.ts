import { DOCUMENT_STATUSES } from './document.model.js';
import type { Models } from './models.js';

const FINISHED: ReadonlySet<string> = new Set(['done', 'needs_review', 'failed']);

/** A run's documents as the progress ETA sees them (producers/page-eta.ts). */
export interface RunWork {
  /** Finished documents read (done, needs review, failed), their pages and their bytes. */
  readonly finishedDocs: number;
  readonly pages: number;
  readonly bytesDone: number;
  /** Documents not finished (queued or processing), their bytes, and how many have no size. */
  readonly left: number;
  readonly bytesLeft: number;
  readonly leftWithoutSize: number;
  /** Sizes of the documents being processed, to credit their workers' page progress. */
  readonly processingSizes: ReadonlyMap<string, number>;
}

/**
 * One read of a run's documents, projected to size, sha256 and page count. It reads every
 * document of the run (the index counts do not), so the watcher calls it seldom and projects in
 * between.
 */
export async function readRunWork(models: Models, runId: string): Promise<RunWork> {
  let finishedDocs = 0;
  let pages = 0;
  let bytesDone = 0;
  let left = 0;
  let bytesLeft = 0;
  let leftWithoutSize = 0;
  const processingSizes = new Map<string, number>();
  // One query per status, each an equality on both fields of the {runId, status} index: the
  // embedded server does not use an index for its prefix alone (refresh-run.ts), and would read the
  // whole collection for {runId}.
  for (const status of DOCUMENT_STATUSES) {
    const cursor = models.Document.find({ runId, status }, { size: 1, sha256: 1, 'summary.pages': 1, _id: 0 })
      .lean<{ sha256: string; size?: number; summary?: { pages?: number } }>()
      .cursor();
    for await (const doc of cursor) {
      const size = typeof doc.size === 'number' && doc.size > 0 ? doc.size : 0;
      if (FINISHED.has(status)) {
        finishedDocs += 1;
        bytesDone += size;
        pages += doc.summary?.pages ?? 0;
        continue;
      }
      left += 1;
      bytesLeft += size;
      if (size === 0) leftWithoutSize += 1;
      if (status === 'processing' && size > 0) processingSizes.set(doc.sha256, size);
    }
  }
  return { finishedDocs, pages, bytesDone, left, bytesLeft, leftWithoutSize, processingSizes };
}
