import type { ExtractJob } from './job-context.js';

/** Page progress goes out at most this often; the first only once a job has run this long. */
export const PROGRESS_MIN_MS = 250;

/**
 * `job.updateProgress` per page, throttled: each update is an IPC message, a Redis script and a
 * queue event. An OCR page takes seconds, so scans still report every page; a born-digital
 * document (≈ 0.1 s a page) reports a few times, and a job done in under PROGRESS_MIN_MS not at
 * all (its completion says it all).
 */
export function pageProgress(
  job: Pick<ExtractJob, 'updateProgress'>,
  minMs: number = PROGRESS_MIN_MS,
): (done: number, total: number) => void {
  let last = performance.now();
  return (done, total) => {
    const now = performance.now();
    if (now - last < minMs) return;
    last = now;
    // Progress is for watching: a lost update must not fail the job.
    job.updateProgress({ done, total }).catch(() => undefined);
  };
}
