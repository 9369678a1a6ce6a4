import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import sharp from 'sharp';
import type { Models } from '../models/index.js';
import { imageDpi, toImageBox } from './cell-boxes.js';
import { renderReviewPage, type StoredPage } from './page-raster.js';

export interface ImageOptions {
  /** Rendered pages and crops, named by content hash. */
  readonly cacheDir: string;
  /** The cache is trimmed (oldest first) past this size. Default 256 MB. */
  readonly maxCacheBytes?: number;
  /** Where crawled documents are (producers/store-blob.ts), for records without a readable path. */
  readonly blobDir?: string;
}

type Box = { x0: number; y0: number; x1: number; y1: number };

/** Around the cell: this many cell heights above and below, one cell width to the right. */
const ROWS_AROUND = 2;

function hashOf(...parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A content-addressed file cache bounded in size: past the bound the oldest files go. */
class DiskCache {
  private bytes: number | null = null;
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async get(key: string): Promise<Buffer | null> {
    return readFile(join(this.dir, `${key}.png`)).catch(() => null);
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

type Failure = { status: number; body: Record<string, unknown> };

/**
 * `GET /documents/:sha256/pages/:n/image` and `GET /documents/:sha256/cells/:key/crop`
 * (docs/review-api.md): rendered on demand (page-raster.ts), cached on disk by content hash.
 */
export function registerImageRoutes(app: FastifyInstance, models: Models, options: ImageOptions): void {
  const cache = new DiskCache(options.cacheDir, options.maxCacheBytes ?? 256 * 1024 * 1024);

  /** The page image, from the cache or rendered from the source file. */
  const pageImage = async (sha256: string, n: number): Promise<{ png: Buffer; page: StoredPage } | Failure> => {
    const [document, page] = await Promise.all([
      models.Document.findOne({ sha256 }, { _id: 0, source: 1, pipelineVersion: 1 }).lean(),
      models.Page.findOne({ sha256, number: n }, { _id: 0, number: 1, method: 1, rotation: 1, image: 1 }).lean(),
    ]);
    if (!document) return { status: 404, body: { code: 'NO_DOCUMENT', message: `no document ${sha256}` } };
    if (!page) return { status: 404, body: { code: 'NO_PAGE', message: `document ${sha256} has no page ${n}` } };
    const stored: StoredPage = { number: n, method: page.method, rotation: page.rotation, image: page.image };
    const key = hashOf('page', sha256, n, document.pipelineVersion ?? '', stored);
    const cached = await cache.get(key);
    if (cached) return { png: cached, page: stored };
    const path = document.source.path ?? (options.blobDir ? join(options.blobDir, sha256) : undefined);
    const bytes = path ? await readFile(path).catch(() => null) : null;
    if (!bytes || !path)
      return { status: 410, body: { code: 'SOURCE_MISSING', path: path ?? null, message: 'the source file is gone' } };
    if (createHash('sha256').update(bytes).digest('hex') !== sha256)
      return {
        status: 410,
        body: { code: 'SOURCE_CHANGED', path, message: 'the file at the source path has other content now' },
      };
    const rendered = await renderReviewPage(bytes, stored);
    if (rendered.status === 'failed') return { status: 422, body: { code: rendered.code, message: rendered.message } };
    await cache.put(key, rendered.png);
    return { png: rendered.png, page: stored };
  };

  const fail = (reply: FastifyReply, f: Failure): FastifyReply => reply.code(f.status).send(f.body);

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
      const report = await models.Report.findOne(
        { sha256 },
        { _id: 0, cells: { $elemMatch: { key } }, pipelineVersion: 1 },
      ).lean();
      const source = report?.cells?.[0]?.source;
      if (!report || !source)
        return reply.code(404).send({ code: 'NO_BOX', message: `no cell ${key} with a place on a page` });
      const table = await models.Table.findOne(
        { sha256, tableId: source.tableId },
        { _id: 0, cells: 1, box: 1 },
      ).lean();
      const cell = table?.cells.find((c) => c.row === source.row && c.col === source.col);
      if (!table || !cell) return reply.code(404).send({ code: 'NO_BOX', message: `no box for ${key}` });
      const cropKey = hashOf('crop', sha256, key, report.pipelineVersion, cell.box, table.box);
      const cached = await cache.get(cropKey);
      if (cached) return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(cached);
      const image = await pageImage(sha256, source.page);
      if ('status' in image) return fail(reply, image);
      const dpi = imageDpi(image.page);
      const png = await cropAround(image.png, toImageBox(cell.box, dpi), toImageBox(table.box, dpi));
      await cache.put(cropKey, png);
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
    },
  );
}

/**
 * The cell with its row label (from the table's left edge) and ROWS_AROUND rows above and below, one
 * cell width of context to the right; the cell outlined in red.
 */
async function cropAround(pagePng: Buffer, cell: Box, table: Box): Promise<Buffer> {
  const image = sharp(pagePng);
  const { width = 0, height = 0 } = await image.metadata();
  const h = Math.max(8, cell.y1 - cell.y0);
  const w = Math.max(8, cell.x1 - cell.x0);
  const left = Math.max(0, Math.min(cell.x0 - w, Math.max(0, table.x0 - 8)));
  const top = Math.max(0, cell.y0 - ROWS_AROUND * h);
  const right = Math.min(width, cell.x1 + w);
  const bottom = Math.min(height, cell.y1 + ROWS_AROUND * h);
  const cw = Math.max(1, right - left);
  const ch = Math.max(1, bottom - top);
  const outline = Buffer.from(
    `<svg width="${cw}" height="${ch}" xmlns="http://www.w3.org/2000/svg"><rect x="${cell.x0 - left - 2}" y="${cell.y0 - top - 2}" width="${w + 4}" height="${h + 4}" fill="none" stroke="#d00" stroke-width="3"/></svg>`,
  );
  return sharp(pagePng)
    .extract({ left, top, width: cw, height: ch })
    .toColourspace('srgb')
    .composite([{ input: outline, top: 0, left: 0 }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}
