import { limitsFromEnv } from '../core/intake/limits.js';
import { connectModels, type ModelsConnection } from '../models/index.js';
import { createExtractQueue, JOB_NAMES, type ExtractQueue } from '../queue/index.js';
import { loadExtractor } from './extractor.js';
import type { JobContext } from './job-context.js';
import { tesseractLog } from './tesseract-log.js';
import { lazyOcrEngine } from './lazy-ocr-engine.js';

/** Two pages per child: the file is opened once per child (≈ 0.1–0.3 s), OCR is 2–4 s a page. */
export const DEFAULT_PAGES_PER_CHILD = 2;
/** One tesseract worker per setup per process: each concurrent job runs in its own process. */
const OCR_WORKERS_PER_PROCESS = 1;

export interface ProcessContext {
  readonly context: JobContext;
  close(): Promise<void>;
}

/**
 * Everything a job needs, built once per process (sandbox child or in-process worker): the
 * database connection, the extractor, a lazily started OCR engine, a queue to add children.
 * Configuration comes from the environment the worker passes down (MONGODB_URI, REDIS_URL …).
 */
export async function createJobContext(env: NodeJS.ProcessEnv = process.env): Promise<ProcessContext> {
  const mongoUri = env['MONGODB_URI'];
  const connection: ModelsConnection = await connectModels({
    ...(mongoUri ? { uri: mongoUri } : {}),
    syncIndexes: false,
  });
  const extractor = await loadExtractor(env);
  const ocr = lazyOcrEngine(
    () =>
      extractor.createOcrEngine({
        workers: OCR_WORKERS_PER_PROCESS,
        tessdata: env['TESSDATA_PREFIX'],
        onMessage: tesseractLog(env),
      }),
    {
      workers: OCR_WORKERS_PER_PROCESS,
      traineddata: 'lazy',
    },
  );
  let queue: ExtractQueue | null = null;
  const perChild = Number(env['DOCQ_PAGES_PER_CHILD']);
  const context: JobContext = {
    models: connection.models,
    extractor,
    ocr,
    limits: limitsFromEnv(env),
    pagesPerChild: Number.isInteger(perChild) && perChild > 0 ? perChild : DEFAULT_PAGES_PER_CHILD,
    addChildren: async (children) => {
      queue ??= createExtractQueue();
      await queue.addBulk(children.map((c) => ({ name: JOB_NAMES.pages, data: c.data, opts: c.opts })));
    },
  };
  return {
    context,
    close: async () => {
      await ocr.terminate();
      await queue?.close();
      await connection.close();
    },
  };
}
