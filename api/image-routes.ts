import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import sharp from 'sharp';
import type { Models } from '../models/index.js';
import { imageDpi, toImageBox } from './cell-boxes.js';
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

type Box = { x0: number; y0: number; x1: number; y1: number };

/** How long a document's pipeline version is trusted for finding its cached crops. */
const VERSION_TTL_MS = 5_000;

/** Around the cell: this many cell heights above and below, one cell width to the right. */
const ROWS_AROUND = 2;

function hashOf(...parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A content-addressed file cache bounded in size: past the bound the oldest files go. */
export class DiskCache {
  private bytes: number | null = null;
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async get(key: string): Promise<Buffer | null> {
    return readFile(join(this.dir, `${key}.png`)).catch(() => null);
  }

  async has(key: string): Promise<boolean> {
    return stat(join(this.dir, `${key}.png`)).then(
      () => true,
      () => false,
    );
  }

  async put(key: string, data: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${key}.${process.pid}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(this.dir, `${key}.png`));
    this.bytes = (this.bytes ?? (await this.measure())) + data.length;
    if (this.bytes > this.maxBytes) await this.trim();
  }

  private async entries(): Promise<{ path: string; size: number; mtime: number }[]> {
    const names = (await readdir(this.dir).catch(() => [])).filter((n) => n.endsWith('.png'));
    const out = await Promise.all(
      names.map(async (n) => {
        const s = await stat(join(this.dir, n)).catch(() => null);
        return s ? { path: join(this.dir, n), size: s.size, mtime: s.mtimeMs } : null;
      }),
    );
    return out.filter((e) => e !== null);
  }

  private async measure(): Promise<number> {
    return (await this.entries()).reduce((sum, e) => sum + e.size, 0);
  }

  private async trim(): Promise<void> {
    const entries = (await this.entries()).sort((a, b) => a.mtime - b.mtime);
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    for (const e of entries) {
      if (total <= this.maxBytes * 0.8) break;
      await unlink(e.path).catch(() => undefined);
      total -= e.size;
    }
    this.bytes = total;
  }
}

/** Crops kept in memory (a few tens of KB each). */
const MAX_CROP_BYTES = 32 * 1024 * 1024;

/** Values by key, the least recently used dropped past a bound on their total size. */
class Lru<T> {
  // A Map keeps insertion order: a use moves the key to the end.
  private readonly items = new Map<string, T>();
  private bytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly size: (value: T) => number,
  ) {}

  get(key: string): T | undefined {
    const hit = this.items.get(key);
    if (hit) {
      this.items.delete(key);
      this.items.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: T): void {
    const before = this.items.get(key);
    if (before !== undefined) this.bytes -= this.size(before);
    this.items.delete(key);
    this.items.set(key, value);
    this.bytes += this.size(value);
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= this.size(v);
    }
  }
}

type Failure = { status: number; body: Record<string, unknown> };
type Rendered = { png: Buffer; page: StoredPage };
/** A page's pixels, one gray byte each: crops are cut from these without decoding the page again. */
type Gray = { gray: Uint8Array; width: number; height: number };
type Pixels = Gray & { page: StoredPage };

export interface PageImages {
  /** The page image, from the cache or rendered from the source file (one render per page at a time). */
  page(sha256: string, n: number): Promise<Rendered | Failure>;
  /** The page's pixels for a crop: from memory, the cached image, or rendered. */
  pixels(sha256: string, n: number): Promise<Pixels | Failure>;
  /**
   * Renders pages into the cache in the background, one at a time, so the crops a reviewer opens
   * next come from it: a scan page takes 1–2 s to prepare again as the OCR read it.
   */
  warm(sha256: string, pages: readonly number[]): void;
  close(): Promise<void>;
  readonly cache: DiskCache;
}

/** Decoded pages kept in memory (a 300 dpi A4 page is 8.7 MB): crops of one page cut from one decode. */
const MAX_PIXEL_BYTES = 160 * 1024 * 1024;

export function createPageImages(models: Models, options: ImageOptions): PageImages {
  const cache = new DiskCache(options.cacheDir, options.maxCacheBytes ?? 256 * 1024 * 1024);
  const renderer = new PageRenderer();
  const inflight = new Map<string, Promise<(Rendered & Partial<Gray>) | Failure>>();
  const decoded = new Lru<Gray>(MAX_PIXEL_BYTES, (p) => p.gray.length);
  const remember = (key: string, pixels: Gray): void => decoded.set(key, pixels);
  let warming: Promise<unknown> = Promise.resolve();
  /** Pages warmed by this process: a view opened again does not look for them again. */
  const warmed = new Set<string>();

  const fromSource = async (
    sha256: string,
    source: { path?: string },
    stored: StoredPage,
    key: string,
  ): Promise<(Rendered & Gray) | Failure> => {
    const path = source.path ?? (options.blobDir ? join(options.blobDir, sha256) : undefined);
    const bytes = path ? await readFile(path).catch(() => null) : null;
    if (!bytes || !path)
      return { status: 410, body: { code: 'SOURCE_MISSING', path: path ?? null, message: 'the source file is gone' } };
    // A copy of its own: the bytes move to the renderer's thread, which checks their hash first.
    const rendered = await renderer.render(new Uint8Array(bytes), stored, sha256);
    if (rendered.status === 'failed')
      return rendered.code === 'SOURCE_CHANGED'
        ? { status: 410, body: { code: rendered.code, path, message: rendered.message } }
        : { status: 422, body: { code: rendered.code, message: rendered.message } };
    const png = Buffer.from(rendered.png.buffer, rendered.png.byteOffset, rendered.png.length);
    await cache.put(key, png);
    const pixels = { gray: rendered.gray, width: rendered.width, height: rendered.height };
    remember(key, pixels);
    return { png, page: stored, ...pixels };
  };

  /** The page's record, its cache key, and the stored image if there is one. */
  const locate = async (
    sha256: string,
    n: number,
  ): Promise<{ key: string; stored: StoredPage; source: { path?: string } } | Failure> => {
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
  const render = (sha256: string, at: { key: string; stored: StoredPage; source: { path?: string } }) => {
    let job = inflight.get(at.key);
    if (!job) {
      job = fromSource(sha256, at.source, at.stored, at.key).finally(() => inflight.delete(at.key));
      inflight.set(at.key, job);
    }
    return job;
  };

  const page = async (sha256: string, n: number): Promise<Rendered | Failure> => {
    const at = await locate(sha256, n);
    if ('status' in at) return at;
    const cached = await cache.get(at.key);
    if (cached) return { png: cached, page: at.stored };
    return render(sha256, at);
  };

  const pixels = async (sha256: string, n: number): Promise<Pixels | Failure> => {
    const at = await locate(sha256, n);
    if ('status' in at) return at;
    const hit = decoded.get(at.key);
    // The cached image is the record: a page trimmed from (or cleared off) the disk is gone from here too.
    if (hit && (await cache.has(at.key))) {
      return { ...hit, page: at.stored };
    }
    const png = await cache.get(at.key);
    if (png) {
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      const gray = {
        gray: new Uint8Array(data.buffer, data.byteOffset, data.length),
        width: info.width,
        height: info.height,
      };
      remember(at.key, gray);
      return { ...gray, page: at.stored };
    }
    const rendered = await render(sha256, at);
    if ('status' in rendered) return rendered;
    if (rendered.gray)
      return { gray: rendered.gray, width: rendered.width!, height: rendered.height!, page: at.stored };
    return pixels(sha256, n);
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
        warming = warming.then(() => page(sha256, n)).catch(() => undefined);
      }
    },
  };
}

/**
 * `GET /documents/:sha256/pages/:n/image` and `GET /documents/:sha256/cells/:key/crop`
 * (docs/review-api.md): rendered on demand (page-raster.ts), cached on disk by content hash.
 */
export function registerImageRoutes(app: FastifyInstance, models: Models, images: PageImages): void {
  const { cache } = images;
  const pageImage = images.page;
  // A page of crops asks for the same document's version many times in a row: kept a few seconds.
  const versions = new Map<string, { version: string; at: number }>();
  const versionOf = async (sha256: string): Promise<string | null> => {
    const hit = versions.get(sha256);
    if (hit && Date.now() - hit.at < VERSION_TTL_MS) return hit.version;
    const document = await models.Document.findOne({ sha256 }, { _id: 0, pipelineVersion: 1 }).lean();
    if (!document) return null;
    if (versions.size > 1000) versions.clear();
    versions.set(sha256, { version: document.pipelineVersion ?? '', at: Date.now() });
    return document.pipelineVersion ?? '';
  };

  const fail = (reply: FastifyReply, f: Failure): FastifyReply => reply.code(f.status).send(f.body);
  const crops = new Lru<Buffer>(MAX_CROP_BYTES, (b) => b.length);

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
      const image = await pageImage(request.params.sha256, Number(request.params.n));
      if ('status' in image) return fail(reply, image);
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(image.png);
    },
  );

  app.get<{ Params: { sha256: string; key: string } }>(
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
      },
    },
    async (request, reply) => {
      const { sha256, key } = request.params;
      // One extraction (sha256 + pipeline version: extraction is deterministic) gives one box per
      // cell, so a cached crop is found with one small lookup.
      const version = await versionOf(sha256);
      if (version === null) return reply.code(404).send({ code: 'NO_DOCUMENT', message: `no document ${sha256}` });
      const cropKey = `crop-${hashOf(sha256, key, version)}`;
      // From memory when the file is still there (one stat instead of a read's four file operations,
      // each a wait for the thread pool); else from the file.
      const kept = crops.get(cropKey);
      const cached = kept && (await cache.has(cropKey)) ? kept : await cache.get(cropKey);
      if (cached && !kept) crops.set(cropKey, cached);
      if (cached) return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(cached);
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
      await cache.put(cropKey, png);
      crops.set(cropKey, png);
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
    },
  );
}

/**
 * The cell with its row label (from the table's left edge) and ROWS_AROUND rows above and below, one
 * cell width of context to the right; the cell outlined in red. The rows are copied out of the page's
 * pixels here, so only the crop's few thousand pixels go through sharp.
 */
async function cropAround(page: Gray, cell: Box, table: Box): Promise<Buffer> {
  const { width, height } = page;
  const h = Math.max(8, cell.y1 - cell.y0);
  const w = Math.max(8, cell.x1 - cell.x0);
  const left = Math.min(width - 1, Math.max(0, Math.min(cell.x0 - w, Math.max(0, table.x0 - 8))));
  const top = Math.min(height - 1, Math.max(0, cell.y0 - ROWS_AROUND * h));
  const right = Math.min(width, cell.x1 + w);
  const bottom = Math.min(height, cell.y1 + ROWS_AROUND * h);
  const cw = Math.max(1, right - left);
  const ch = Math.max(1, bottom - top);
  const pixels = Buffer.alloc(cw * ch, 255);
  for (let y = 0; y < ch; y++) {
    const from = (top + y) * width + left;
    pixels.set(page.gray.subarray(from, from + Math.min(cw, width - left)), y * cw);
  }
  const outline = Buffer.from(
    `<svg width="${cw}" height="${ch}" xmlns="http://www.w3.org/2000/svg"><rect x="${cell.x0 - left - 2}" y="${cell.y0 - top - 2}" width="${w + 4}" height="${h + 4}" fill="none" stroke="#d00" stroke-width="3"/></svg>`,
  );
  return sharp(pixels, { raw: { width: cw, height: ch, channels: 1 } })
    .toColourspace('srgb')
    .composite([{ input: outline, top: 0, left: 0 }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}
