import type { JobsOptions } from 'bullmq';

/** Transient faults (Mongo or Redis restarting, a crashed OCR thread) get this many tries in all. */
export const DOCUMENT_ATTEMPTS = 5;
/** First retry after ~2 s, then 4, 8, 16 s: enough for a database restart without stalling a run. */
export const BACKOFF_BASE_MS = 2_000;
/** Half of each delay is random so workers that failed together do not retry together. */
export const BACKOFF_JITTER = 0.5;
/** Completed jobs kept for `docq status` and dedup of recent queueing; older ones are trimmed. */
export const KEEP_COMPLETED = { count: 2_000, age: 24 * 3600 } as const;
/** Failed jobs kept longer for diagnosis; the document record holds the error for good. */
export const KEEP_FAILED = { count: 10_000, age: 7 * 24 * 3600 } as const;

export const DOCUMENT_JOB_OPTIONS: JobsOptions = {
  attempts: DOCUMENT_ATTEMPTS,
  backoff: { type: 'exponential', delay: BACKOFF_BASE_MS, jitter: BACKOFF_JITTER },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

/** Page-range children: same retry policy; a child that finally fails must not block its parent. */
export const PAGES_JOB_OPTIONS: JobsOptions = {
  ...DOCUMENT_JOB_OPTIONS,
  ignoreDependencyOnFailure: true,
};
