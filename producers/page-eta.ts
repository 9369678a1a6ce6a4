import type { RunPages } from '../models/run-pages.js';

/** What the estimate needs: the run's counts now, the last page sum, and where the watch began. */
export interface PageEtaInput {
  /** Documents in the run and, of them, finished ones (index counts, fresh every poll). */
  readonly queued: number;
  readonly finished: number;
  /** The last sum of finished documents' pages (may be older than the counts: it is read seldom). */
  readonly summed: RunPages;
  /** Pages already done, by the same estimate, when the watch began (so the rate is this session's). */
  readonly startPages: number;
  /** Minutes since the watch began. */
  readonly minutes: number;
}

export interface PageEta {
  readonly pagesPerMin: number;
  /** Seconds left, or null while nothing has been measured. */
  readonly etaSeconds: number | null;
}

/**
 * Mean pages of this run's opened documents. A document not yet opened has no page count; the
 * run's own mean is the best cheap guess for it (runs mix kinds, but one archive's reports are
 * alike in length), and it self-corrects as documents finish. With none opened yet, one page a
 * document: the estimate is then the document-based one.
 */
export function meanPagesPerDocument(summed: RunPages): number {
  return summed.docsWithPages > 0 ? summed.pages / summed.docsWithPages : 1;
}

/**
 * Pages finished: the summed ones plus, for documents finished since that sum, the run's mean
 * (the projection that lets the sum be read only every few seconds).
 */
export function pagesFinished(finished: number, summed: RunPages): number {
  return summed.pages + Math.max(0, finished - summed.docs) * meanPagesPerDocument(summed);
}

/**
 * ETA from pages: the work left in pages (documents left × mean pages) over the measured page
 * rate. Counting documents, a long report finishing counts as much as a one-page notice, so the
 * rate (and the ETA) swings with whichever documents happen to finish; in pages, a long
 * document's work is credited at its size and the rate stays steady.
 */
export function pageEta(input: PageEtaInput): PageEta {
  const done = pagesFinished(input.finished, input.summed);
  const pagesPerMin = input.minutes > 0 ? Math.max(0, done - input.startPages) / input.minutes : 0;
  const pagesLeft = Math.max(0, input.queued - input.finished) * meanPagesPerDocument(input.summed);
  return { pagesPerMin, etaSeconds: pagesPerMin > 0 ? (pagesLeft / pagesPerMin) * 60 : null };
}
