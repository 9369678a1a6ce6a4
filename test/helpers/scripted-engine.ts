import type { GrayRaster } from '../../core/ocr/gray-raster.js';
import type { LineKind, LineOptions, LineReading, OcrEngine } from '../../core/ocr/ocr-engine.js';

/** A recogniser that answers from a script: the digits setup, the second reader (CJK model, digits whitelist) and the label setup. */
export function scripted(
  first: string,
  second: string,
  label = '',
  confidence = 0.97,
): OcrEngine & { seconds: number } {
  const reading = (text: string): LineReading => ({
    text,
    confidence: text === '' ? 0 : confidence,
    weakest: text === '' ? 0 : confidence,
  });
  const engine = {
    workers: 1,
    traineddata: 'scripted',
    seconds: 0,
    readPage: () => Promise.reject(new Error('not used')),
    readWords: () => Promise.resolve([]),
    readLine(
      _image: GrayRaster,
      kind: LineKind,
      _dpi: number,
      _rows?: number,
      opts?: LineOptions,
    ): Promise<LineReading> {
      if (opts?.second) {
        engine.seconds++;
        return Promise.resolve(reading(second));
      }
      return Promise.resolve(reading(kind === 'digits' ? first : label));
    },
    stats: () => ({ calls: 0, busyMs: 0 }),
    terminate: () => Promise.resolve(),
  };
  return engine;
}
