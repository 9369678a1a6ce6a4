import { afterAll, beforeAll } from 'vitest';
import { createOcrEngine, type OcrEngine } from '../../core/index.js';
import type { OcrEngineOptions } from '../../core/ocr/create-ocr-engine.js';

/**
 * One real OCR engine for the enclosing describe block: started before its tests (the traineddata
 * load takes seconds under load, hence the long hook timeout) and terminated after them.
 * Returns a getter, since the engine exists only once the hook has run.
 */
export function useOcrEngine(options: OcrEngineOptions = {}): () => OcrEngine {
  let engine: OcrEngine | undefined;
  beforeAll(async () => {
    engine = await createOcrEngine(options);
  }, 120_000);
  afterAll(async () => {
    await engine?.terminate();
  });
  return () => {
    if (!engine) throw new Error('the OCR engine is started in beforeAll; use it inside a test or hook');
    return engine;
  };
}
