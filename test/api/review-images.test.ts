import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobPath } from '../../producers/store-blob.js';
import { DEV_CORPUS, DIGITAL_PDF, startReviewServer, type ReviewServer } from '../helpers/review-server.js';

const JPEG_PAGE = join(DEV_CORPUS, 'synth-21x-2/pages/heavy-2.jpg');

interface Cell {
  key: string;
  page?: number;
  box?: { x0: number; y0: number; x1: number; y1: number };
  value: number | null;
}

describe('page images and cell crops (rendered on demand, cached, 410 when the source is gone)', () => {
  let server: ReviewServer;
  let dir: string;

  beforeAll(async () => {
    server = await startReviewServer();
    dir = await mkdtemp(join(tmpdir(), 'docq-review-images-'));
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${server.url}${path}`);

  /** The first numeric cell with a box in the document view, or the flagged one when asked. */
  async function aCell(sha: string, flagged = false): Promise<Cell> {
    const view = (await (await get(`/documents/${sha}/review`)).json()) as {
      tables: { cells: Record<string, Cell & { state: string }> }[];
    };
    const cells = view.tables.flatMap((t) => Object.values(t.cells)).filter((c) => c.box && c.value !== null);
    const cell = flagged ? cells.find((c) => c.state === 'flagged') : cells[0];
    if (!cell) throw new Error(`no cell with a box in ${sha}`);
    return cell;
  }

  /** The first `n` numeric cells with a box in the document view. */
  async function cells(sha: string, n: number): Promise<Cell[]> {
    const view = (await (await get(`/documents/${sha}/review`)).json()) as {
      tables: { cells: Record<string, Cell> }[];
    };
    return view.tables
      .flatMap((t) => Object.values(t.cells))
      .filter((c) => c.box && c.value !== null)
      .slice(0, n);
  }

  /** A crop: PNG, wider than the cell (labels around it), with ink inside the cell's outline. */
  async function expectCrop(sha: string, cell: Cell): Promise<void> {
    const response = await get(`/documents/${sha}/cells/${cell.key}/crop`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(png).metadata();
    const box = cell.box!;
    expect(meta.width).toBeGreaterThan(2 * (box.x1 - box.x0));
    expect(meta.height).toBeGreaterThan(2 * (box.y1 - box.y0));
    // The page image holds the printed digits inside the cell's box (the box lines up).
    const page = Buffer.from(await (await get(`/documents/${sha}/pages/${cell.page}/image`)).arrayBuffer());
    const pad = 3;
    const inside = await sharp(page)
      .extract({
        left: box.x0 + pad,
        top: box.y0 + pad,
        width: box.x1 - box.x0 - 2 * pad,
        height: box.y1 - box.y0 - 2 * pad,
      })
      .greyscale()
      .raw()
      .toBuffer();
    expect(Math.min(...inside)).toBeLessThan(110);
  }

  it('prepares the pages of the flagged cells at the head of the queue before anyone opens them', async () => {
    const queue = (await (await get('/review/queue')).json()) as { documents: { sha256: string }[] };
    expect(queue.documents.map((d) => d.sha256)).toContain(server.documents.scan);
    // No view was opened: the listing alone set the scan's page preparing in the background.
    let pages: string[] = [];
    for (let i = 0; i < 600 && pages.length === 0; i++) {
      pages = (await readdir(server.cacheDir).catch(() => [])).filter((n) => n.startsWith('page-'));
      if (pages.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(pages.length).toBeGreaterThan(0);
  }, 90_000);

  it('crops a born-digital page from its render', async () => {
    const sha = server.documents.digital;
    const cell = await aCell(sha);
    await expectCrop(sha, cell);
    const page = await get(`/documents/${sha}/pages/1/image`);
    expect(page.headers.get('content-type')).toBe('image/png');
    expect((await get(`/documents/${sha}/pages/99/image`)).status).toBe(404);
  });

  it('crops an image-only PDF page as the OCR read it (rotated and deskewed)', async () => {
    const sha = server.documents.scan!;
    await expectCrop(sha, await aCell(sha, true));
  });

  it('crops a JPEG page', async () => {
    const sha = await server.seed(JPEG_PAGE, { ocr: true });
    // The extraction recorded how the photo was made upright: the page is not prepared again.
    const page = await server.models.Page.findOne({ sha256: sha, number: 1 }).lean();
    expect(page?.image).toMatchObject({ rectified: false, deskewDeg: expect.any(Number) });
    expect(Math.abs(page!.image!.deskewDeg!)).toBeGreaterThan(0.5);
    await expectCrop(sha, await aCell(sha));
  }, 120_000);

  it('crops a crawled document from the blob store, and answers 410 with the path when the source changed or is gone', async () => {
    const blobDir = join(dir, 'blobs');
    await mkdir(blobDir, { recursive: true });
    const copy = join(dir, 'crawled.pdf');
    await copyFile(DIGITAL_PDF, copy);
    const sha = server.documents.digital;
    // The crawler stores the download at blobPath(blobDir, sha256) and records that path with the URL.
    const blob = blobPath(blobDir, sha);
    await copyFile(copy, blob);
    await server.models.Document.updateOne(
      { sha256: sha },
      { $set: { source: { url: 'http://127.0.0.1/report.pdf', path: blob, crawlId: 'site' } } },
    );
    await rm(server.cacheDir, { recursive: true, force: true, maxRetries: 5 });
    // Crops kept in memory are served as they are (content-addressed): each step asks for one not cut yet.
    const [cell, second, third] = await cells(sha, 3);
    await expectCrop(sha, cell!);

    // Other content at the path (checked in the renderer's thread): 410 naming the path too.
    await copyFile(JPEG_PAGE, blob);
    await rm(server.cacheDir, { recursive: true, force: true, maxRetries: 5 });
    const changed = await get(`/documents/${sha}/cells/${second!.key}/crop`);
    expect(changed.status).toBe(410);
    expect(await changed.json()).toMatchObject({ code: 'SOURCE_CHANGED', path: blob });

    await rm(blob);
    await rm(server.cacheDir, { recursive: true, force: true, maxRetries: 5 });
    const gone = await get(`/documents/${sha}/cells/${third!.key}/crop`);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ code: 'SOURCE_MISSING', path: blob });
    await copyFile(DIGITAL_PDF, blob);
  });

  it('names the extraction in the crop URL: a cached crop comes from memory, a browser gets 304, a reprocessed document never shows the old crop', async () => {
    const sha = server.documents.scan!;
    const view = async () => (await (await get(`/documents/${sha}/review`)).json()) as { extraction: string };
    const before = await view();
    const [cell] = await cells(sha, 1);
    const named = `/documents/${sha}/cells/${cell!.key}/crop?x=${before.extraction}`;
    const first = await get(named);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toContain('immutable');
    const etag = first.headers.get('etag')!;
    const png = Buffer.from(await first.arrayBuffer());
    // The unnamed URL reads the document's extraction: the same crop, but the browser must ask again.
    const unnamed = await get(`/documents/${sha}/cells/${cell!.key}/crop`);
    expect(unnamed.headers.get('cache-control')).toBe('private, no-cache');
    expect(Buffer.from(await unnamed.arrayBuffer()).equals(png)).toBe(true);
    const again = await fetch(`${server.url}${named}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);

    // A new extraction (as a reprocess saves it): the cell's box moved one row down and finishedAt is new.
    const record = await server.models.Report.findOne({ sha256: sha, 'cells.key': cell!.key }).lean();
    const source = record!.cells.find((c) => c.key === cell!.key)!.source!;
    const table = await server.models.Table.findOne({ sha256: sha, tableId: source.tableId }).lean();
    const at = table!.cells.findIndex((c) => c.row === source.row && c.col === source.col);
    const box = table!.cells[at]!.box;
    const h = box.y1 - box.y0;
    await server.models.Table.updateOne(
      { sha256: sha, tableId: source.tableId },
      { $set: { [`cells.${at}.box`]: { ...box, y0: box.y0 + h, y1: box.y1 + h } } },
    );
    const now = new Date();
    await server.models.Document.updateOne({ sha256: sha }, { $set: { finishedAt: now, updatedAt: now } });
    const after = await get(`/documents/${sha}/cells/${cell!.key}/crop`);
    expect(after.status).toBe(200);
    const moved = Buffer.from(await after.arrayBuffer());
    expect(moved.equals(png)).toBe(false);
    expect(after.headers.get('etag')).not.toBe(etag);
    // The view names the new extraction; a crop not cut yet under the old name is refused, not cut from the new boxes.
    // (A view changed by another process is looked at again within seconds: view-cache.ts.)
    let reloaded = await view();
    for (let i = 0; i < 80 && reloaded.extraction === before.extraction; i++) {
      await new Promise((r) => setTimeout(r, 100));
      reloaded = await view();
    }
    expect(reloaded.extraction).not.toBe(before.extraction);
    const fresh = await get(`/documents/${sha}/cells/${cell!.key}/crop?x=${reloaded.extraction}`);
    expect(Buffer.from(await fresh.arrayBuffer()).equals(moved)).toBe(true);
    const [other] = (await cells(sha, 2)).slice(1);
    const stale = await get(`/documents/${sha}/cells/${other!.key}/crop?x=${before.extraction}`);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ code: 'EXTRACTION_CHANGED', extraction: reloaded.extraction });
  });
});
