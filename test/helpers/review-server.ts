import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/build-api.js';
import { extractDocument } from '../../core/index.js';
import { createOcrEngine } from '../../core/ocr/create-ocr-engine.js';
import { addUser, saveExtraction, type Models } from '../../models/index.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from './mongo.js';
import { startTestRedis, type TestRedis } from './redis.js';

export const DEV_CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/dev');
/** Born-digital, with an injected row-total error: H3/H4 fail, one culprit flagged with its suggestion. */
export const DIGITAL_PDF = join(DEV_CORPUS, 'synth-2019-2/digital.pdf');
/** A scanned (image-only) PDF of a report with an injected error: OCR cells and rule flags. */
export const SCAN_PDF = join(DEV_CORPUS, 'synth-21x-2/scan-light.pdf');

export interface ReviewServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly models: Models;
  readonly adminToken: string;
  readonly reviewerToken: string;
  readonly reviewer: string;
  readonly admin: string;
  /** sha256 of the seeded documents. */
  readonly documents: { readonly digital: string; readonly scan?: string };
  readonly cacheDir: string;
  /** Extract and store one more file (OCR when `ocr`), returning its sha256. */
  seed(path: string, options?: { ocr?: boolean; source?: { path?: string; url?: string } }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real API (`buildApi`) on the embedded database with a queue on a real Redis, on 127.0.0.1 at a
 * random port, seeded by the real extraction of corpus files: the born-digital DIGITAL_PDF always,
 * the scanned SCAN_PDF (OCR, slow: ≈ 10 s) unless `scan: false`. Users `rita` (reviewer) and
 * `adam` (admin) with their tokens.
 */
export async function startReviewServer(options: { scan?: boolean } = {}): Promise<ReviewServer> {
  const [redis, mongo]: [TestRedis, TestMongo] = await Promise.all([startTestRedis(), startTestMongo()]);
  const queue: ExtractQueue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
  const models = mongo.db.models;
  const cacheDir = await mkdtemp(join(tmpdir(), 'docq-review-cache-'));
  const seed = async (
    path: string,
    opts: { ocr?: boolean; source?: { path?: string; url?: string } } = {},
  ): Promise<string> => {
    const bytes = await readFile(path);
    const engine = opts.ocr ? await createOcrEngine({ workers: 1 }) : null;
    try {
      const doc = await extractDocument({ bytes, name: path }, { ocr: engine });
      await saveExtraction(models, doc, { source: opts.source ?? { path } });
      return doc.sha256;
    } finally {
      await engine?.terminate();
    }
  };
  const digital = await seed(DIGITAL_PDF);
  const scan = options.scan === false ? undefined : await seed(SCAN_PDF, { ocr: true });
  const reviewer = await addUser(models, 'rita', 'reviewer');
  const admin = await addUser(models, 'adam', 'admin');
  if ('code' in reviewer || 'code' in admin) throw new Error('test users could not be made');
  const app = buildApi({ models, queue, images: { cacheDir } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    app,
    models,
    adminToken: admin.token,
    reviewerToken: reviewer.token,
    reviewer: 'rita',
    admin: 'adam',
    documents: { digital, ...(scan ? { scan } : {}) },
    cacheDir,
    seed,
    close: async () => {
      await app.close();
      await queue.close();
      await mongo.cleanup();
      await redis.cleanup();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
