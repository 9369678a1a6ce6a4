import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import sharp from 'sharp';
import type { Models } from '../models/index.js';
import { extractionTag, imageDpi, toImageBox } from './cell-boxes.js';
import { cropAround, type Gray } from './crop-around.js';
import { DiskCache, FreshReads, hashOf } from './image-cache.js';
import type { StoredPage } from './page-raster.js';
import { PageRenderer } from './page-renderer.js';

export interface ImageOptions {
  /** Rendered pages and crops, named by content hash. */
  readonly cacheDir: string;
  /** The cache is trimmed (oldest first) past this size. Default 256 MB. */
  readonly maxCacheBytes?: number;
  /** Where crawled documents are (producers/store-blob.ts), for records without a readable path. */
  readonly blobDir?: string;
}

/** Crops kept in memory (a few tens of KB each). */
const MAX_CROP_BYTES = 32 * 1024 * 1024;
/** Decoded pages kept in memory (a 300 dpi A4 page is 8.7 MB): crops of one page cut from one decode. */
const MAX_PIXEL_BYTES = 160 * 1024 * 1024;
/** Part of every crop's key: a change of how crops are cut or encoded must not serve the old ones. */
const CROP_FORMAT = 2;

type Failure = { status: number; body: Record<string, unknown> };
type Rendered = { png: Buffer; page: StoredPage };
type Pixels = Gray & { page: StoredPage };
type Located = { key: string; stored: StoredPage; source: { path?: string } };

export interface PageImages {
  /** The page image, from the cache or rendered from the source file (one render per page at a time). */
  page(sha256: string, n: number): Promise<Rendered | Failure>;
  /** The page's pixels for a crop: from memory, the cached image, or rendered. */
  pixels(sha256: string, n: number): Promise<Pixels | Failure>;
  /**
   * Renders pages into the cache in the background, one at a time, so the crops a reviewer opens
   * next come from it.
   */
  warm(sha256: string, pages: readonly number[]): void;
  close(): Promise<void>;
  readonly cache: DiskCache;
}

export function createPageImages(models: Models, options: ImageOptions): PageImages {
  const cache = new DiskCache(options.cacheDir, options.maxCacheBytes ?? 256 * 1024 * 1024);
  const renderer = new PageRenderer();
  const inflight = new Map<string, Promise<Gray | Failure>>();
  const decoded = new LRUCache<string, Gray>({ maxSize: MAX_PIXEL_BYTES, sizeCalculation: (p) => p.gray.length });
  /** Page PNGs being encoded and written: the page is on disk as far as anyone asking knows. */
  const writing = new Map<string, Promise<Buffer>>();
  let warming: Promise<unknown> = Promise.resolve();
  /** Pages warmed by this process: a view opened again does not look for them again. */
  const warmed = new Set<string>();

  /** Encodes and stores a rendered page off the crop's path (the first crop needs only the pixels). */
  const store = (key: string, pixels: Gray): Promise<Buffer> => {
    const raw = Buffer.from(pixels.gray.buffer, pixels.gray.byteOffset, pixels.gray.length);
    const job = sharp(raw, { raw: { width: pixels.width, height: pixels.height, channels: 1 } })
      .png({ compressionLevel: 6 })
      .toBuffer()
      .then(async (png) => {
        // A page that cannot be stored (disk full, the cache cleared meanwhile) is still shown.
        await cache.put(key, png).catch(() => undefined);
        return png;
      })
      .finally(() => writing.delete(key));
    writing.set(key, job);
    job.catch(() => undefined);
    return job;
  };

  const fromSource = async (sha256: string, at: Located): Promise<Gray | Failure> => {
    const path = at.source.path ?? (options.blobDir ? join(options.blobDir, sha256) : undefined);
    const bytes = path ? await readFile(path).catch(() => null) : null;
    if (!bytes || !path)
      return { status: 410, body: { code: 'SOURCE_MISSING', path: path ?? null, message: 'the source file is gone' } };
    // A copy of its own: the bytes move to the renderer's thread, which checks their hash first.
    const rendered = await renderer.render(new Uint8Array(bytes), at.stored, sha256);
    if (rendered.status === 'failed')
      return rendered.code === 'SOURCE_CHANGED'
        ? { status: 410, body: { code: rendered.code, path, message: rendered.message } }
        : { status: 422, body: { code: rendered.code, message: rendered.message } };
    const pixels = { gray: rendered.gray, width: rendered.width, height: rendered.height };
    decoded.set(at.key, pixels);
    void store(at.key, pixels);
    return pixels;
  };

  /** The page's record and its cache key. */
  const locate = async (sha256: string, n: number): Promise<Located | Failure> => {
    const [document, record] = await Promise.all([
      models.Document.findOne({ sha256 }, { _id: 0, source: 1, pipelineVersion: 1 }).lean(),
      models.Page.findOne({ sha256, number: n }, { _id: 0, number: 1, method: 1, rotation: 1, image: 1 }).lean(),
    ]);
    if (!document) return { status: 404, body: { code: 'NO_DOCUMENT', message: `no document ${sha256}` } };
    if (!record) return { status: 404, body: { code: 'NO_PAGE', message: `document ${sha256} has no page ${n}` } };
    const stored: StoredPage = { number: n, method: record.method, rotation: record.rotation, image: record.image };
    return {
      key: `page-${hashOf(sha256, n, document.pipelineVersion ?? '', stored)}`,
      stored,
      source: document.source,
    };
  };

  /** Twenty crops of one page asked at once render it once. */
  const render = (sha256: string, at: Located): Promise<Gray | Failure> => {
    let job = inflight.get(at.key);
    if (!job) {
      job = fromSource(sha256, at).finally(() => inflight.delete(at.key));
      inflight.set(at.key, job);
    }
    return job;
  };

  const page = async (sha256: string, n: number): Promise<Rendered | Failure> => {
    const at = await locate(sha256, n);
    if ('status' in at) return at;
    const png = (await writing.get(at.key)?.catch(() => null)) ?? (await cache.get(at.key));
    if (png) return { png, page: at.stored };
    const rendered = await render(sha256, at);
    if ('status' in rendered) return rendered;
    return { png: await (writing.get(at.key) ?? store(at.key, rendered)), page: at.stored };
  };

  const pixels = async (sha256: string, n: number): Promise<Pixels | Failure> => {
    const at = await locate(sha256, n);
    if ('status' in at) return at;
    const hit = decoded.get(at.key);
    // The cached image is the record: a page trimmed from (or cleared off) the disk is gone from here
    // too (one stat, on the way to cutting a new crop only).
    if (hit && (writing.has(at.key) || (await cache.has(at.key)))) return { ...hit, page: at.stored };
    const png = await cache.get(at.key);
    if (png) {
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      const gray = {
        gray: new Uint8Array(data.buffer, data.byteOffset, data.length),
        width: info.width,
        height: info.height,
      };
      decoded.set(at.key, gray);
      return { ...gray, page: at.stored };
    }
    const rendered = await render(sha256, at);
    return 'status' in rendered ? rendered : { ...rendered, page: at.stored };
  };

  return {
    cache,
    page,
    pixels,
    close: () => renderer.close(),
    warm: (sha256, pages) => {
      for (const n of new Set(pages)) {
        if (warmed.has(`${sha256}:${n}`)) continue;
        if (warmed.size > 100_000) warmed.clear();
        warmed.add(`${sha256}:${n}`);
        warming = warming.then(() => pixels(sha256, n)).catch(() => undefined);
      }
    },
  };
}

/**
 * A body named by its content hash: `ETag`, and 304 to a browser that holds it. An unnamed
 * extraction's crop is `no-cache` (the browser asks again, a 304 carries no body), so after a
 * reprocess it never shows one from its own cache; a named one never changes.
 */
function sendImage(
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  png: Buffer,
  lifetime: string,
): FastifyReply {
  const etag = `"${key.slice(key.indexOf('-') + 1, key.indexOf('-') + 33)}"`;
  reply.header('etag', etag).header('cache-control', lifetime);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('image/png').send(png);
}

/**
 * `GET /documents/:sha256/pages/:n/image` and `GET /documents/:sha256/cells/:key/crop`
 * (docs/review-api.md): rendered on demand (page-raster.ts), cached on disk by content hash.
 */
export function registerImageRoutes(app: FastifyInstance, models: Models, images: PageImages): void {
  const { cache } = images;
  // The extraction a crop is cut from, read fresh for a crop URL that does not name one (no crop of a
  // reprocessed document is served from before), shared by the requests that arrive together.
  const extractions = new FreshReads(async (sha256: string): Promise<string | null> => {
    const d = await models.Document.collection.findOne({ sha256 }, { projection: { _id: 0, finishedAt: 1 } });
    return d ? extractionTag(d['finishedAt'] as Date | undefined) : null;
  });
  const fail = (reply: FastifyReply, f: Failure): FastifyReply => reply.code(f.status).send(f.body);
  const crops = new LRUCache<string, Buffer>({ maxSize: MAX_CROP_BYTES, sizeCalculation: (b) => b.length });

  app.get<{ Params: { sha256: string; n: string } }>(
    '/documents/:sha256/pages/:n/image',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            n: { type: 'string', pattern: '^[1-9][0-9]{0,4}$' },
          },
          required: ['sha256', 'n'],
        },
      },
    },
    async (request, reply) => {
      const image = await images.page(request.params.sha256, Number(request.params.n));
      if ('status' in image) return fail(reply, image);
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(image.png);
    },
  );

  app.get<{ Params: { sha256: string; key: string }; Querystring: { x?: string } }>(
    '/documents/:sha256/cells/:key/crop',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            key: { type: 'string', maxLength: 200 },
          },
          required: ['sha256', 'key'],
        },
        querystring: { type: 'object', properties: { x: { type: 'string', pattern: '^[0-9a-z]{1,16}$' } } },
      },
    },
    async (request, reply) => {
      const { sha256, key } = request.params;
      // One extraction gives one box per cell: the crop's key. A URL naming the extraction (`x`, from
      // the view: what the review page asks) is content-addressed, so a hit needs nothing but memory;
      // without it the document's extraction is read first.
      const named = request.query.x;
      const extraction = named ?? (await extractions.get(sha256));
      if (extraction === null) return reply.code(404).send({ code: 'NO_DOCUMENT', message: `no document ${sha256}` });
      const cropKey = `crop-${hashOf(sha256, key, extraction, CROP_FORMAT)}`;
      const lifetime = named ? 'private, max-age=31536000, immutable' : 'private, no-cache';
      const kept = crops.get(cropKey) ?? (await cache.get(cropKey));
      if (kept) {
        crops.set(cropKey, kept);
        return sendImage(request, reply, cropKey, kept, lifetime);
      }
      // Not cut yet: a named extraction must still be the document's (a view from before a reprocess).
      if (named) {
        const current = await extractions.get(sha256);
        if (current === null) return reply.code(404).send({ code: 'NO_DOCUMENT', message: `no document ${sha256}` });
        if (current !== named)
          return reply.code(409).send({
            code: 'EXTRACTION_CHANGED',
            extraction: current,
            message: 'the document was extracted again since this view; open it again',
          });
      }
      const report = await models.Report.findOne({ sha256 }, { _id: 0, cells: { $elemMatch: { key } } }).lean();
      const source = report?.cells?.[0]?.source;
      if (!report || !source)
        return reply.code(404).send({ code: 'NO_BOX', message: `no cell ${key} with a place on a page` });
      const table = await models.Table.findOne(
        { sha256, tableId: source.tableId },
        { _id: 0, cells: 1, box: 1 },
      ).lean();
      const cell = table?.cells.find((c) => c.row === source.row && c.col === source.col);
      if (!table || !cell) return reply.code(404).send({ code: 'NO_BOX', message: `no box for ${key}` });
      const image = await images.pixels(sha256, source.page);
      if ('status' in image) return fail(reply, image);
      const dpi = imageDpi(image.page);
      const png = await cropAround(image, toImageBox(cell.box, dpi), toImageBox(table.box, dpi));
      crops.set(cropKey, png);
      void cache.put(cropKey, png).catch(() => undefined);
      return sendImage(request, reply, cropKey, png, lifetime);
    },
  );
}
