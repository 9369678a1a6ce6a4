import cliProgress from 'cli-progress';
import { nextCountDelayMs, type Models } from '../models/index.js';
import { refreshRun, type RunProgress } from './run-progress.js';

/** How often at most the bar re-counts the run's documents (slower when counting is slow: nextCountDelayMs). */
const POLL_MS = 500;
/** Without a terminal, one plain progress line at most this often. */
const PLAIN_LINE_MS = 5_000;

export interface WatchOptions {
  readonly signal?: AbortSignal;
  readonly stream?: NodeJS.WriteStream;
  readonly pollMs?: number;
}

/** Waits `ms` or until the signal aborts; the abort listener goes when the timer fires (one per poll leaked before). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function rateLine(progress: RunProgress, startedFinished: number, startedAt: number): { perMin: number; eta: string } {
  const minutes = (Date.now() - startedAt) / 60_000;
  const perMin = minutes > 0 ? (progress.finished - startedFinished) / minutes : 0;
  const left = progress.queued - progress.finished;
  const eta = perMin > 0 ? `${Math.ceil((left / perMin) * 60)}s` : '—';
  return { perMin, eta };
}

/**
 * Shows a live bar (queued, done, needs review, failed, docs/min, ETA) until every document of the
 * run has finished, then returns the final counts. Ctrl-C (the signal) stops watching, not the run.
 */
export async function watchRun(models: Models, runId: string, opts: WatchOptions = {}): Promise<RunProgress | null> {
  const stream = opts.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        ' {bar} {value}/{total} | done {done} · review {review} · failed {failed} · active {active} | {rate} docs/min | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const firstCount = performance.now();
  let progress = await refreshRun(models, runId);
  if (!progress) return null;
  let lastCountMs = performance.now() - firstCount;
  const startedAt = Date.now();
  const startedFinished = progress.finished;
  let lastPlain = 0;
  if (tty) bar.start(progress.queued, progress.finished);
  for (;;) {
    const { perMin, eta } = rateLine(progress, startedFinished, startedAt);
    const payload = {
      done: progress.done,
      review: progress.needsReview,
      failed: progress.failed,
      active: progress.processing,
      rate: perMin.toFixed(1),
      etaText: eta,
    };
    if (tty) {
      bar.setTotal(progress.queued);
      bar.update(progress.finished, payload);
    } else if (Date.now() - lastPlain >= PLAIN_LINE_MS || progress.complete) {
      lastPlain = Date.now();
      stream.write(
        `${progress.finished}/${progress.queued} finished · done ${progress.done} · review ${progress.needsReview} · failed ${progress.failed} · ${payload.rate} docs/min · ETA ${eta}\n`,
      );
    }
    if (progress.complete || opts.signal?.aborted) break;
    await sleep(nextCountDelayMs(opts.pollMs ?? POLL_MS, lastCountMs), opts.signal);
    const counting = performance.now();
    progress = (await refreshRun(models, runId)) ?? progress;
    lastCountMs = performance.now() - counting;
  }
  if (tty) bar.stop();
  return progress;
}
