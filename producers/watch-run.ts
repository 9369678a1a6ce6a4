import cliProgress from 'cli-progress';
import { nextCountDelayMs, type Models } from '../models/index.js';
import type { Queue } from 'bullmq';
import { readRunWork, type RunWork } from '../models/run-work.js';
import type { ExtractJobData } from '../queue/create-extract-queue.js';
import { activeWork } from './active-work.js';
import { runEta, workDone, type WorkDone } from './page-eta.js';
import { refreshRun, type RunProgress } from './run-progress.js';

/** How often at most the bar re-counts the run's documents (slower when counting is slow: nextCountDelayMs). */
const POLL_MS = 500;
/** Without a terminal, one plain progress line at most this often. */
const PLAIN_LINE_MS = 5_000;
/**
 * Reading the run's sizes and pages reads every document of the run (counting by status reads only the
 * index), so it runs at most this often, and at most a tenth of the time (READ_COST_FACTOR × its
 * last cost, up to READ_MAX_MS); in between, page-eta.ts projects newly finished documents.
 */
const READ_MIN_MS = 5_000;
const READ_COST_FACTOR = 10;
const READ_MAX_MS = 60_000;

export interface WatchOptions {
  readonly signal?: AbortSignal;
  readonly stream?: NodeJS.WriteStream;
  readonly pollMs?: number;
  /** The extract queue, to credit active documents' page progress in the ETA (without it, on finish). */
  readonly queue?: Pick<Queue<ExtractJobData>, 'getActive'>;
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

interface Rates {
  readonly perMin: number;
  readonly pagesPerMin: number;
  readonly eta: string;
}

function rateLine(
  progress: RunProgress,
  work: RunWork,
  start: WorkDone & { at: number; finished: number },
  active: WorkDone,
): Rates {
  const minutes = (Date.now() - start.at) / 60_000;
  const perMin = minutes > 0 ? (progress.finished - start.finished) / minutes : 0;
  const { pagesPerMin, etaSeconds } = runEta({
    queued: progress.queued,
    finished: progress.finished,
    work,
    start,
    minutes,
    active,
  });
  return { perMin, pagesPerMin, eta: etaSeconds === null ? '—' : `${Math.ceil(etaSeconds)}s` };
}

const NO_WORK: WorkDone = { bytes: 0, pages: 0 };

function readDelayMs(lastReadMs: number): number {
  return Math.min(Math.max(READ_MIN_MS, READ_COST_FACTOR * lastReadMs), READ_MAX_MS);
}

/**
 * Shows a live bar (queued, done, needs review, failed, docs/min, pages/min, ETA by size) until every document of the
 * run has finished, then returns the final counts. Ctrl-C (the signal) stops watching, not the run.
 */
export async function watchRun(models: Models, runId: string, opts: WatchOptions = {}): Promise<RunProgress | null> {
  const stream = opts.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        ' {bar} {value}/{total} | done {done} · review {review} · failed {failed} · active {active} | {rate} docs/min · {pageRate} pages/min | ETA {etaText}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const firstCount = performance.now();
  let progress = await refreshRun(models, runId);
  if (!progress) return null;
  let lastCountMs = performance.now() - firstCount;
  const reading = performance.now();
  let work = await readRunWork(models, runId);
  let nextReadAt = performance.now() + readDelayMs(performance.now() - reading);
  const readActive = async (): Promise<WorkDone> =>
    // Progress is for watching: Redis not answering leaves active documents credited on finish.
    opts.queue ? activeWork(opts.queue, runId, work.processingSizes).catch(() => NO_WORK) : NO_WORK;
  let active = await readActive();
  const start = { at: Date.now(), finished: progress.finished, ...workDone(progress.finished, work, active) };
  let lastPlain = 0;
  if (tty) bar.start(progress.queued, progress.finished);
  for (;;) {
    const { perMin, pagesPerMin, eta } = rateLine(progress, work, start, active);
    const payload = {
      done: progress.done,
      review: progress.needsReview,
      failed: progress.failed,
      active: progress.processing,
      rate: perMin.toFixed(1),
      pageRate: pagesPerMin.toFixed(0),
      etaText: eta,
    };
    if (tty) {
      bar.setTotal(progress.queued);
      bar.update(progress.finished, payload);
    } else if (Date.now() - lastPlain >= PLAIN_LINE_MS || progress.complete) {
      lastPlain = Date.now();
      stream.write(
        `${progress.finished}/${progress.queued} finished · done ${progress.done} · review ${progress.needsReview} · failed ${progress.failed} · ${payload.rate} docs/min · ${payload.pageRate} pages/min · ETA ${eta}\n`,
      );
    }
    if (progress.complete || opts.signal?.aborted) break;
    await sleep(nextCountDelayMs(opts.pollMs ?? POLL_MS, lastCountMs), opts.signal);
    const counting = performance.now();
    progress = (await refreshRun(models, runId)) ?? progress;
    lastCountMs = performance.now() - counting;
    if (performance.now() >= nextReadAt || progress.complete) {
      const t = performance.now();
      work = await readRunWork(models, runId);
      nextReadAt = performance.now() + readDelayMs(performance.now() - t);
    }
    active = await readActive();
  }
  if (tty) bar.stop();
  return progress;
}
