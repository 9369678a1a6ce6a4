import type { Models } from '../models/index.js';
import type { DocumentJobData } from '../queue/index.js';
import { markProcessing } from './record-status.js';

/**
 * A job still running after this long marks its document `processing`. Born-digital reports take
 * 0.1–0.5 s: a mark nobody could see costs a database round trip per document (a fifth of a
 * no-op job's cost); scans run for seconds to minutes and are marked while they run.
 */
export const MARK_AFTER_MS = 1_000;

/** The document's processing mark, written only when the job outlasts MARK_AFTER_MS (or fans out). */
export interface ProcessingMark {
  /** Writes the mark now unless it is written already; resolves to `firstPass` (see markProcessing). */
  now(): Promise<boolean>;
  /**
   * Before the results are saved: no mark after this. Resolves whether this is the first pass on
   * the document — from the mark's before-image when it was written, else from the producer's
   * word (`fresh`) on a job's very first run (never retried, never stalled); unsure means false.
   */
  settle(): Promise<boolean>;
  /** No mark from now on (the job ended or threw); one already written stays. */
  cancel(): void;
}

export function deferProcessingMark(
  models: Models,
  data: DocumentJobData,
  job: { readonly attemptsMade: number; readonly stalledCounter?: number | undefined },
  afterMs: number = MARK_AFTER_MS,
): ProcessingMark {
  let marking: Promise<boolean> | null = null;
  const mark = (): Promise<boolean> => {
    marking ??= markProcessing(models, data, job.attemptsMade + 1);
    return marking;
  };
  const timer = setTimeout(() => {
    // A failed mark fails the job when it is settled (it is awaited before anything is saved).
    mark().catch(() => undefined);
  }, afterMs);
  timer.unref();
  const firstRun = job.attemptsMade === 0 && (job.stalledCounter ?? 0) === 0;
  return {
    now: () => {
      clearTimeout(timer);
      return mark();
    },
    cancel: () => clearTimeout(timer),
    settle: async () => {
      clearTimeout(timer);
      if (marking) return marking;
      return data.fresh === true && firstRun;
    },
  };
}
