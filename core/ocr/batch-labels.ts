import type { LineKind, LineOptions, LineReading, LineRequest, OcrEngine } from './ocr-engine.js';
import type { GrayRaster } from './gray-raster.js';

interface Pending extends LineRequest {
  readonly resolve: (r: LineReading) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The engine with the label reads asked for in one turn of the event loop gathered into one
 * readLines call: a table's cells are inspected together (readTable) and each asks for its label
 * reading on its own; gathered, the engine reads them in one recogniser run instead of one each.
 * Reads with options of their own (a second reading, a signal) go through alone.
 */
export function batchLabels(engine: OcrEngine): OcrEngine {
  let pending: Pending[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    engine.readLines(batch, 'label').then(
      (readings) => batch.forEach((p, i) => p.resolve(readings[i]!)),
      (e: unknown) => batch.forEach((p) => p.reject(e)),
    );
  };
  return {
    ...engine,
    readLine: (image: GrayRaster, kind: LineKind, dpi: number, rows = 1, opts?: LineOptions) => {
      if (kind !== 'label' || (opts !== undefined && Object.keys(opts).length > 0))
        return engine.readLine(image, kind, dpi, rows, opts);
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ image, dpi, rows, resolve, reject });
      });
    },
  };
}
