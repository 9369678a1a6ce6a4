import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageImageResult, StoredPage } from './page-raster.js';

/**
 * Built: the .js beside this file. From the sources (tsx, vitest) the thread registers tsx first, by
 * absolute URL — as core/pdf/page-reader.ts does; not shared with it, because any edit under core/
 * gives a new pipeline version and every stored document would be reprocessed for a refactoring.
 */
function threadEntry(): URL | string {
  if (!import.meta.url.endsWith('.ts')) return new URL('./page-render-thread.js', import.meta.url);
  const entry = JSON.stringify(new URL('./page-render-thread.ts', import.meta.url).href);
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const api = JSON.stringify(pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href);
  return `import(${api}).then((tsx) => { tsx.register(); return import(${entry}); });`;
}

type Reply = { id: number; result: PageImageResult };

/**
 * Review page images rendered in one worker thread, one page at a time, started on first use (it does
 * not keep the process alive while idle). A thread that fails is replaced for the next page.
 */
export class PageRenderer {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private next = 1;
  private readonly waiting = new Map<number, (result: PageImageResult) => void>();

  private start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const entry = threadEntry();
      const worker = new Worker(entry, { eval: typeof entry === 'string', stdout: false, stderr: false });
      const fail = (error: Error): void => {
        this.ready = null;
        this.worker = null;
        for (const done of this.waiting.values())
          done({ status: 'failed', code: 'PAGE_FAILED', message: `the page renderer stopped (${error.message})` });
        this.waiting.clear();
        reject(error);
      };
      worker.on('message', (m: Reply | { ready: true }) => {
        if ('ready' in m) {
          this.worker = worker;
          resolve(worker);
          return;
        }
        const done = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        done?.(m.result);
        this.settle();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exit ${code}`)));
    });
    return this.ready;
  }

  /** Lets the process end when nothing is asked of the thread. */
  private settle(): void {
    if (this.waiting.size > 0) return this.worker?.ref();
    this.worker?.unref();
  }

  /** The page, or SOURCE_CHANGED when `bytes` do not hash to `sha256`. */
  async render(bytes: Uint8Array, page: StoredPage, sha256: string): Promise<PageImageResult> {
    const worker = await this.start();
    const id = this.next++;
    const result = new Promise<PageImageResult>((resolve) => this.waiting.set(id, resolve));
    worker.ref();
    worker.postMessage({ id, bytes, page, sha256 }, [bytes.buffer as ArrayBuffer]);
    return result;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate();
  }
}
