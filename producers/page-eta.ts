import type { RunWork } from '../models/run-work.js';

/** Work done so far, in bytes (what the ETA counts) and pages (what the line shows). */
export interface WorkDone {
  readonly bytes: number;
  readonly pages: number;
}

/** What the estimate needs: the run's counts now, the last read of its work, and where the watch began. */
export interface EtaInput {
  /** Documents in the run and, of them, finished ones (index counts, fresh every poll). */
  readonly queued: number;
  readonly finished: number;
  /** The last read of the run's documents (older than the counts: it is read seldom). */
  readonly work: RunWork;
  /** Work done when the watch began (so the rates are this session's). */
  readonly start: WorkDone;
  /** Minutes since the watch began. */
  readonly minutes: number;
  /** Work done so far in documents still processing (their workers' page progress), if known. */
  readonly active?: WorkDone;
}

export interface Eta {
  readonly pagesPerMin: number;
  /** Seconds left, or null while nothing has been measured. */
  readonly etaSeconds: number | null;
}

function meanSize(work: RunWork): number {
  const known = work.finishedDocs + work.left - work.leftWithoutSize;
  return known > 0 ? (work.bytesDone + work.bytesLeft) / known : 1;
}

/**
 * Work done: what the read found, plus, for documents finished since, the mean size and the run's
 * mean pages a document (the projection that lets the read happen only every few seconds), plus
 * the active documents' progress.
 */
export function workDone(finished: number, work: RunWork, active?: WorkDone): WorkDone {
  const since = Math.max(0, finished - work.finishedDocs);
  const pagesPerDoc = work.finishedDocs > 0 ? work.pages / work.finishedDocs : 1;
  return {
    bytes: work.bytesDone + since * meanSize(work) + (active?.bytes ?? 0),
    pages: work.pages + since * pagesPerDoc + (active?.pages ?? 0),
  };
}

/**
 * The ETA weighs documents by their size in bytes, credited page by page as workers report. Why
 * bytes, not pages: a document's page count is unknown until it is opened, its size is known when
 * it is queued; and a scanned page costs many times a born-digital one (OCR) while it is only a few times
 * larger, so bytes follow the work more closely than pages do. In a simulation
 * (test/producers/page-eta.test.ts) counting pages made a long scan's finish jump the ETA more than
 * counting documents; bytes with page progress did not. Counting documents, a long document
 * finishing (or not finishing) swings the rate; here it is credited at its size as it goes.
 */
export function runEta(input: EtaInput): Eta {
  const { work, minutes } = input;
  const done = workDone(input.finished, work, input.active);
  const docsLeft = Math.max(0, input.queued - input.finished);
  // Bytes left at the read (documents without a size at the mean), scaled to the documents left now.
  const atRead = work.bytesLeft + work.leftWithoutSize * meanSize(work);
  const perDoc = work.left > 0 ? atRead / work.left : meanSize(work);
  const bytesLeft = Math.max(0, docsLeft * perDoc - (input.active?.bytes ?? 0));
  const bytesPerMin = minutes > 0 ? Math.max(0, done.bytes - input.start.bytes) / minutes : 0;
  const pagesPerMin = minutes > 0 ? Math.max(0, done.pages - input.start.pages) / minutes : 0;
  return { pagesPerMin, etaSeconds: bytesPerMin > 0 ? (bytesLeft / bytesPerMin) * 60 : null };
}
