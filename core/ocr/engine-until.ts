import { setMaxListeners } from 'node:events';
import type { OcrEngine, ReadOptions } from './ocr-engine.js';

function joined(opts: ReadOptions | undefined, signal: AbortSignal): AbortSignal {
  return opts?.signal ? AbortSignal.any([opts.signal, signal]) : signal;
}

/**
 * The engine with every read bound to `signal`: once it aborts (a page's or document's deadline),
 * the page's recogniser calls still queued are dropped and the one running is no longer waited for.
 * The code that reads a page passes the engine down many calls; binding it once reaches them all.
 */
export function engineUntil(engine: OcrEngine, signal: AbortSignal): OcrEngine {
  // Every queued call of a page listens on it (a 表三 page queues ~70): no leak warning in the logs.
  setMaxListeners(0, signal);
  return {
    workers: engine.workers,
    traineddata: engine.traineddata,
    readPage: (image, dpi, opts) => engine.readPage(image, dpi, { ...opts, signal: joined(opts, signal) }),
    readLine: (image, kind, dpi, rows, opts) =>
      engine.readLine(image, kind, dpi, rows, { ...opts, signal: joined(opts, signal) }),
    readWords: (image, kind, dpi, opts) =>
      engine.readWords(image, kind, dpi, { ...opts, signal: joined(opts, signal) }),
    stats: () => engine.stats(),
    terminate: () => engine.terminate(),
  };
}
