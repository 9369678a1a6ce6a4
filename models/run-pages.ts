import type { Models } from './models.js';

/** Pages of a run's finished documents, as far as they were opened. */
export interface RunPages {
  /** Finished documents read (done, needs review, failed). */
  readonly docs: number;
  /** Of those, how many report a page count (a file that failed before it was opened has none). */
  readonly docsWithPages: number;
  /** Their pages. */
  readonly pages: number;
}

/**
 * Sums `summary.pages` over a run's finished documents: one read of their page counts (the
 * {runId, status} index finds them, a projection keeps each reply small). It reads every finished
 * document, so the watcher calls it seldom and projects in between (producers/page-eta.ts).
 */
export async function sumRunPages(models: Models, runId: string): Promise<RunPages> {
  let docs = 0;
  let docsWithPages = 0;
  let pages = 0;
  const cursor = models.Document.find(
    { runId, status: { $in: ['done', 'needs_review', 'failed'] } },
    { 'summary.pages': 1, _id: 0 },
  )
    .lean<{ summary?: { pages?: number } }>()
    .cursor();
  for await (const doc of cursor) {
    docs += 1;
    const n = doc.summary?.pages;
    if (typeof n === 'number' && n > 0) {
      docsWithPages += 1;
      pages += n;
    }
  }
  return { docs, docsWithPages, pages };
}
