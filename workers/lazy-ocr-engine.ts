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
    readPage: async (image, dpi, opts) => (await get()).readPage(image, dpi, opts),
    readLine: async (image, kind, dpi, rows, opts) => (await get()).readLine(image, kind, dpi, rows, opts),
    readWords: async (image, kind, dpi) => (await get()).readWords(image, kind, dpi),
    stats: () => started?.stats() ?? { calls: 0, busyMs: 0 },
    terminate: async () => {
      const running = engine;
      engine = null;
      started = null;
      if (running) await (await running).terminate();
    },
  };
}
