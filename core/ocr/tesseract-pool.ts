import { availableParallelism } from 'node:os';
import Tesseract from 'tesseract.js';

/** Parameters tesseract reads per recognise call (page segmentation, whitelist, dpi). */
export type TesseractParams = Readonly<Record<string, string>>;

export interface WorkerSetup {
  /** Traineddata language code, e.g. `chi_sim` or `eng`. */
  readonly lang: string;
  /** Folder holding `<lang>.traineddata` (or `.gz` when gzip is true). Always local: never a URL. */
  readonly langPath: string;
  readonly gzip: boolean;
  /** Parameters set once when the worker starts. */
  readonly params: TesseractParams;
}

export interface PoolStats {
  /** Calls handed to a tesseract worker. */
  readonly started: number;
  /** Calls whose signal aborted before a worker took them: never run. */
  readonly dropped: number;
  /** Calls a worker is running now (an aborted caller no longer waits for it). */
  readonly running: number;
}

export interface TesseractPool<Role extends string> {
  readonly size: number;
  /**
   * Recognise an encoded image (PGM/PNG/JPEG bytes) on a worker of `role`; `params` override the setup
   * for this call. When `signal` aborts, a call still queued is dropped (never run) and a running one
   * rejects at once: its worker finishes the image (tesseract cannot be interrupted) and then serves
   * the next call.
   */
  recognize(role: Role, image: Uint8Array, params?: TesseractParams, signal?: AbortSignal): Promise<Tesseract.Page>;
  stats(): PoolStats;
  terminate(): Promise<void>;
}

interface Slot {
  readonly worker: Tesseract.Worker;
  /** Parameters currently set on the worker, so only changes are sent (each set is a round trip). */
  readonly current: Record<string, string>;
}

interface Waiter {
  readonly take: (slot: Slot) => void;
  readonly drop: (reason: unknown) => void;
}

interface Queue {
  readonly idle: Slot[];
  readonly waiting: Waiter[];
  created: number;
}

/**
 * Output asked for on every call: the block tree carries the word and symbol confidences. With a
 * message consumer, `debug` sends tesseract's own messages of the call ("Detected 90 diacritics",
 * "Estimating resolution as 313", "Invalid resolution 0 dpi") to a file of its own instead of
 * stderr, handed to `onMessage`; that costs a save and restore of every tesseract parameter per call
 * (tesseract.js does it around any per-call parameter), ≈ 2–3 ms of a 4 ms digit read. Without one
 * the workers start with their messages sent to /dev/null once (QUIET) and calls ask for no debug.
 */
const OUTPUT: Partial<Tesseract.OutputFormats> = { text: true, blocks: true };
const DEBUG_OUTPUT: Partial<Tesseract.OutputFormats> = { ...OUTPUT, debug: true };
const QUIET: TesseractParams = { debug_file: '/dev/null' };

/** Where tesseract's own messages go (a debug log); without one they are dropped, never printed. */
export type TesseractMessages = (message: string) => void;

/** Default pool size: one worker per core, so N documents' OCR runs side by side without oversubscription. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A pool of tesseract.js workers per role, created lazily on first use (at most `size` per role) and
 * reused for every later call. Workers of one role share one setup, so no per-call reinitialisation.
 */
export function createTesseractPool<Role extends string>(
  setups: Readonly<Record<Role, WorkerSetup>>,
  size: number,
  onMessage?: TesseractMessages,
): TesseractPool<Role> {
  const output = onMessage ? DEBUG_OUTPUT : OUTPUT;
  const queues = new Map<Role, Queue>();
  const starting: Array<Promise<unknown>> = [];
  const every: Slot[] = [];
  let closed = false;
  const counts = { started: 0, dropped: 0, running: 0 };

  async function start(role: Role): Promise<Slot> {
    const setup = setups[role];
    const worker = await Tesseract.createWorker(setup.lang, Tesseract.OEM.LSTM_ONLY, {
      langPath: setup.langPath,
      gzip: setup.gzip,
      // Never cache or fetch: the traineddata is read from the local package every time a worker starts.
      cacheMethod: 'none',
    });
    await worker.setParameters(onMessage ? setup.params : { ...QUIET, ...setup.params });
    const slot = { worker, current: { ...setup.params } };
    every.push(slot);
    return slot;
  }

  function queueOf(role: Role): Queue {
    let q = queues.get(role);
    if (!q) {
      q = { idle: [], waiting: [], created: 0 };
      queues.set(role, q);
    }
    return q;
  }

  function acquire(role: Role, signal: AbortSignal | undefined): Promise<Slot> {
    const q = queueOf(role);
    const idle = q.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (q.created < size) {
      q.created++;
      const p = start(role);
      starting.push(p.catch(() => undefined));
      return p.catch((e: unknown) => {
        q.created--;
        throw e;
      });
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = q.waiting.indexOf(waiter);
        if (at >= 0) q.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        take: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        drop: reject,
      };
      q.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  function release(role: Role, slot: Slot): void {
    const q = queueOf(role);
    const next = q.waiting.shift();
    if (next) next.take(slot);
    else q.idle.push(slot);
  }

  /** Sets the call's parameters and runs it; the slot is released when the worker is done, not when the caller stops waiting. */
  async function run(role: Role, slot: Slot, image: Uint8Array, params: TesseractParams): Promise<Tesseract.Page> {
    counts.started++;
    counts.running++;
    try {
      const wanted: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...setups[role].params, ...params })) {
        if (slot.current[k] !== v) wanted[k] = v;
      }
      if (Object.keys(wanted).length > 0) {
        await slot.worker.setParameters(wanted);
        Object.assign(slot.current, wanted);
      }
      const result = await slot.worker.recognize(
        Buffer.from(image.buffer, image.byteOffset, image.byteLength),
        {},
        output,
      );
      for (const line of (result.data.debug ?? '').split('\n')) if (line.trim() !== '') onMessage?.(line);
      return result.data;
    } finally {
      counts.running--;
      release(role, slot);
    }
  }

  async function recognize(
    role: Role,
    image: Uint8Array,
    params: TesseractParams = {},
    signal?: AbortSignal,
  ): Promise<Tesseract.Page> {
    if (closed) throw new Error('tesseract pool is terminated');
    let slot: Slot;
    try {
      signal?.throwIfAborted();
      slot = await acquire(role, signal);
    } catch (e) {
      if (signal?.aborted) counts.dropped++;
      throw e;
    }
    if (signal?.aborted) {
      counts.dropped++;
      release(role, slot);
      throw signal.reason;
    }
    const running = run(role, slot, image, params);
    if (!signal) return running;
    running.catch(() => undefined);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      running.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async function terminate(): Promise<void> {
    closed = true;
    await Promise.all(starting);
    for (const q of queues.values()) {
      q.idle.splice(0);
      for (const w of q.waiting.splice(0)) w.drop(new Error('tesseract pool is terminated'));
    }
    await Promise.all(every.splice(0).map((s) => s.worker.terminate()));
  }

  return { size, recognize, stats: () => ({ ...counts }), terminate };
}
