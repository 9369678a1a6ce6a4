import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Limits } from '../intake/limits.js';
import type { Page, Problem, Table } from '../model/index.js';
import type { ColourRaster } from '../raster/line-channel.js';
import type { ReaderReply, ReaderRequest } from './page-reader-protocol.js';

/** What one request to the reader gave. `stopped`: it ran past its deadline or memory budget and was ended. */
export type ReadOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'problem'; readonly problem: Problem }
  | { readonly kind: 'stopped'; readonly problem: Problem };

export interface TextPage {
  readonly page: Page;
  readonly tables: readonly Table[];
}

export interface PageRasterRead {
  readonly raster: ColourRaster;
  readonly rotate: number;
}

/**
 * A PDF read page by page in a worker thread with a deadline and a heap budget per request. pdf.js
 * runs on the caller's thread in Node and cannot be interrupted; a thread can: a page that runs past
 * its deadline (or its heap budget) is ended with the thread, which frees its memory, and the next
 * page is read by a fresh thread that opens the document again.
 */
export interface PageReader {
  /** Page count, or the Problem that makes the document unreadable (CORRUPT, ENCRYPTED, TOO_LARGE …). */
  open(): Promise<ReadOutcome<number>>;
  text(page: number, timeoutMs: number): Promise<ReadOutcome<TextPage>>;
  raster(page: number, timeoutMs: number): Promise<ReadOutcome<PageRasterRead>>;
  close(): Promise<void>;
}

/** Built: the .js beside this file. From the sources (tsx, vitest) the thread registers tsx before loading the .ts. */
function threadEntry(): URL | string {
  if (!import.meta.url.endsWith('.ts')) return new URL('./page-reader-thread.js', import.meta.url);
  const entry = JSON.stringify(new URL('./page-reader-thread.ts', import.meta.url).href);
  // tsx by absolute URL: a bare specifier in an eval'd thread resolves from the working directory, which
  // may be anywhere (docq run from source on a folder elsewhere).
  // require.resolve finds the package's CommonJS build of the API; its ES module sits beside it.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const api = JSON.stringify(pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href);
  return `import(${api}).then((tsx) => { tsx.register(); return import(${entry}); });`;
}

interface Thread {
  readonly worker: Worker;
  /** The document open in this thread (the reader's bytes), if any. */
  opened: boolean;
  /** The thread's V8 heap in use when it last dropped a document (0 before). */
  heapUsedBytes: number;
}

/** Threads kept for the next document: starting one and loading pdf.js costs ≈ 50–100 ms. */
const idle: Thread[] = [];
const MAX_IDLE = 2;

/** The idle reader threads' V8 heaps in use (bytes), as each last reported on dropping a document: a diagnostic for long runs. */
export function idleReaderHeaps(): number[] {
  return idle.map((t) => t.heapUsedBytes);
}

/** Starting a thread (loading pdf.js, and compiling it under tsx) is not held to a page's deadline. */
const START_TIMEOUT_MS = 60_000;

async function startThread(limits: Limits): Promise<Thread | Error> {
  const entry = threadEntry();
  const worker = new Worker(entry, {
    eval: typeof entry === 'string',
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryBudgetMb },
    stdout: false,
    stderr: false,
  });
  const thread: Thread = { worker, opened: false, heapUsedBytes: 0 };
  const ready = await ask(thread, null, START_TIMEOUT_MS);
  if (ready === 'timeout' || ready instanceof Error) {
    void worker.terminate();
    return ready === 'timeout' ? new Error('the PDF reader thread did not start') : ready;
  }
  return thread;
}

/** Sends `req` (null: only wait for the thread's next message) and waits for the answer up to `timeoutMs`. */
function ask(thread: Thread, req: ReaderRequest | null, timeoutMs: number): Promise<ReaderReply | 'timeout' | Error> {
  return new Promise((resolve) => {
    const { worker } = thread;
    const done = (result: ReaderReply | 'timeout' | Error): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.unref();
      resolve(result);
    };
    const onMessage = (reply: ReaderReply): void => done(reply);
    const onError = (error: Error): void => done(error);
    const onExit = (code: number): void => done(new Error(`the reader thread exited with code ${code}`));
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    worker.ref(); // waiting for an answer keeps the process alive
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (req !== null) worker.postMessage(req, req.op === 'open' ? [req.bytes.buffer as ArrayBuffer] : []);
  });
}

function isOutOfMemory(error: Error): boolean {
  return (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** Opens a page reader over `bytes` (copied: each fresh thread gets its own copy). */
export function openPageReader(bytes: Uint8Array, limits: Limits): PageReader {
  let thread: Thread | null = null;
  let numPages: number | null = null;

  const end = (t: Thread): void => {
    if (thread === t) thread = null;
    void t.worker.terminate();
  };
  /** One request on a thread that has the document open; ends the thread when the request overruns. */
  const request = async (req: ReaderRequest, timeoutMs: number, page?: number): Promise<ReadOutcome<ReaderReply>> => {
    if (!thread) {
      const started = idle.pop() ?? (await startThread(limits));
      if (started instanceof Error) {
        const problem: Problem = {
          code: 'INTERNAL',
          message: started.message,
          stage: 'open',
          ...(page !== undefined ? { page } : {}),
        };
        return { kind: 'stopped', problem };
      }
      thread = started;
    }
    const t = thread;
    const stage = req.op === 'raster' ? 'ocr' : 'parse';
    const at = page !== undefined ? { page } : {};
    const what = page !== undefined ? `page ${page}` : 'the document';
    if (req.op !== 'open' && !t.opened) {
      const opened = await request({ op: 'open', bytes: new Uint8Array(bytes), limits }, limits.pageTimeoutMs, page);
      if (opened.kind !== 'ok') return opened;
      if (!opened.value.ok) return { kind: 'problem', problem: problemOf(opened.value, stage, at) };
    }
    const answer = await ask(t, req, timeoutMs);
    if (answer === 'timeout') {
      end(t);
      const problem: Problem = {
        code: page !== undefined ? 'PAGE_TIMEOUT' : 'TIMEOUT',
        message: `${what} was stopped after ${timeoutMs} ms (${req.op === 'raster' ? 'rasterising for OCR' : 'reading the text layer'})`,
        stage,
        ...at,
      };
      return { kind: 'stopped', problem };
    }
    if (answer instanceof Error) {
      end(t);
      const oom = isOutOfMemory(answer);
      const problem: Problem = {
        code: oom ? (page !== undefined ? 'PAGE_TOO_LARGE' : 'TOO_LARGE') : 'PAGE_FAILED',
        message: oom
          ? `${what} needs more than the memory budget of ${limits.memoryBudgetMb} MB`
          : `${what} stopped the reader (${answer.message})`,
        stage,
        ...at,
      };
      return { kind: 'stopped', problem };
    }
    if (req.op === 'open') t.opened = answer.ok;
    return { kind: 'ok', value: answer };
  };

  /** A page request: the thread's answer picked by `pick`, its Problem, or the request stopped. */
  const pageRequest = async <T>(
    req: Extract<ReaderRequest, { page: number }>,
    timeoutMs: number,
    stage: Problem['stage'],
    pick: (value: Extract<ReaderReply, { ok: true }>) => T | null,
  ): Promise<ReadOutcome<T>> => {
    const r = await request(req, timeoutMs, req.page);
    if (r.kind !== 'ok') return r;
    const value = r.value.ok ? pick(r.value) : null;
    if (value !== null) return { kind: 'ok', value };
    const reply = r.value.ok ? { ok: false as const, error: 'unexpected answer' } : r.value;
    return { kind: 'problem', problem: problemOf(reply, stage, { page: req.page }) };
  };

  return {
    open: async () => {
      if (numPages !== null) return { kind: 'ok', value: numPages };
      const r = await request({ op: 'open', bytes: new Uint8Array(bytes), limits }, limits.pageTimeoutMs);
      if (r.kind !== 'ok') return r;
      if (!r.value.ok) return { kind: 'problem', problem: problemOf(r.value, 'open', {}) };
      numPages = 'numPages' in r.value ? r.value.numPages : 0;
      return { kind: 'ok', value: numPages };
    },
    text: (page, timeoutMs) =>
      pageRequest({ op: 'text', page }, timeoutMs, 'parse', (v) =>
        'page' in v ? { page: v.page, tables: v.tables } : null,
      ),
    raster: (page, timeoutMs) =>
      pageRequest({ op: 'raster', page }, timeoutMs, 'ocr', (v) =>
        'raster' in v ? { raster: v.raster, rotate: v.rotate } : null,
      ),
    close: async () => {
      const t = thread;
      thread = null;
      if (!t) return;
      if (idle.length < MAX_IDLE) {
        // A healthy thread is kept for the next document once it has dropped this one.
        const closed = t.opened ? await ask(t, { op: 'close' }, limits.pageTimeoutMs) : null;
        if (closed !== 'timeout' && !(closed instanceof Error)) {
          t.opened = false;
          if (closed !== null && 'heapUsedBytes' in closed) t.heapUsedBytes = closed.heapUsedBytes;
          idle.push(t);
          return;
        }
      }
      void t.worker.terminate();
    },
  };
}

function problemOf(
  reply: Extract<ReaderReply, { ok: false }>,
  stage: Problem['stage'],
  at: { page?: number },
): Problem {
  if ('problem' in reply) return reply.problem;
  const where = at.page !== undefined ? `page ${at.page}` : 'the PDF';
  return { code: 'PAGE_FAILED', message: `${where} cannot be read (${reply.error})`, stage, ...at };
}
