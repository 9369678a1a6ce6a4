import type { OcrEngine } from '../core/index.js';

/**
 * An OcrEngine that starts tesseract only when a page first needs it: born-digital documents never
 * pay the 0.5–0.8 s worker start (field-notes.md), and a process keeps one engine for all its jobs.
 */
export function lazyOcrEngine(
  create: () => Promise<OcrEngine>,
  describe: { workers: number; traineddata: string },
): OcrEngine {
  let engine: Promise<OcrEngine> | null = null;
  let started: OcrEngine | null = null;
  const get = async (): Promise<OcrEngine> => {
    engine ??= create().catch((error: unknown) => {
      engine = null; // a failed start may succeed on the next job
      throw error;
    });
    started = await engine;
    return started;
  };
  return {
    workers: describe.workers,
    traineddata: describe.traineddata,
    // Every argument passed on: the options carry the second-reading choice and the cancellation signal.
    readPage: async (...args) => (await get()).readPage(...args),
    readLine: async (...args) => (await get()).readLine(...args),
    readWords: async (...args) => (await get()).readWords(...args),
    stats: () => started?.stats() ?? { calls: 0, busyMs: 0, started: 0, dropped: 0, running: 0 },
    terminate: async () => {
      const running = engine;
      engine = null;
      started = null;
      if (running) await (await running).terminate();
    },
  };
}
