import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { createOcrEngine } from '../../../core/ocr/create-ocr-engine.js';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';
import type { OcrEngine } from '../../../core/ocr/ocr-engine.js';
import { ocrImagePages } from '../../../core/ocr/ocr-page.js';

/** A phone-camera page of 表三: ~70 recogniser calls, several seconds of OCR. */
const PAGE = '/work/shared/corpus/dev/synth-1-2/pages/heavy-3.jpg';

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 20));
}

describe('a deadline drops the recogniser calls still queued (real tesseract.js)', () => {
  let engine: OcrEngine;
  let page: GrayRaster;
  /** How long the whole page takes here (measured by the page-deadline test). */
  let fullMs = 0;
  beforeAll(async () => {
    // The WASM pool's queue is what these cases watch: the native prose pass (one process a page) is off.
    engine = await createOcrEngine({ workers: 1, nativePage: false });
    const { data, info } = await sharp(readFileSync(PAGE)).grayscale().raw().toBuffer({ resolveWithObject: true });
    page = { width: info.width, height: info.height, data: new Uint8Array(data) };
  });
  afterAll(async () => {
    await engine.terminate();
  });

  it('aborting runs none of the queued calls and stops waiting for the running one', async () => {
    const before = engine.stats();
    const controller = new AbortController();
    const { signal } = controller;
    setMaxListeners(0, signal);
    // One worker per role: the full page runs, nine reads of the same role wait behind it.
    const running = engine.readPage(page, 200, { signal });
    const queued = Array.from({ length: 9 }, () => engine.readPage(page, 200, { signal }));
    await until(() => engine.stats().started > before.started);
    controller.abort(new Error('deadline'));
    const outcomes = await Promise.allSettled([running, ...queued]);
    // The running page is still being read when its caller is answered: it was not waited for.
    expect(engine.stats().running).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill('rejected'));
    await until(() => engine.stats().running === 0);
    const after = engine.stats();
    expect(after.started - before.started).toBe(1);
    expect(after.dropped - before.dropped).toBe(9);
    // The worker serves the next call.
    await expect(engine.readWords(page, 'label', 200)).resolves.toBeDefined();
  }, 180_000);

  it('a page past its deadline ends with PAGE_TIMEOUT and starts no recogniser call after it', async () => {
    const bytes = new Uint8Array(readFileSync(PAGE));
    // The whole page first: how many calls it needs and how long it takes here.
    const s0 = engine.stats();
    let t = performance.now();
    const full = await ocrImagePages([bytes], engine);
    fullMs = performance.now() - t;
    const fullCalls = engine.stats().started - s0.started;
    expect(full.problems).toEqual([]);
    expect(fullCalls).toBeGreaterThan(20);

    const s1 = engine.stats();
    t = performance.now();
    const cut = await ocrImagePages([bytes], engine, { pageTimeoutMs: fullMs / 5 });
    const atDeadline = engine.stats();
    expect(cut.problems).toEqual([expect.objectContaining({ code: 'PAGE_TIMEOUT', page: 1 })]);
    expect(cut.pages[0]?.method).toBe('failed');
    // Whatever the page still had queued never reaches tesseract once the deadline has passed.
    await new Promise((r) => setTimeout(r, 1_000));
    await until(() => engine.stats().running === 0);
    const settled = engine.stats();
    expect(settled.started).toBe(atDeadline.started);
    expect(settled.started - s1.started).toBeLessThan(fullCalls);
  }, 300_000);

  it('the document deadline of a two-page image document: the page it falls in stops, the next is not read', async () => {
    expect(fullMs).toBeGreaterThan(0);
    const bytes = new Uint8Array(readFileSync(PAGE));
    const limits = { ...DEFAULT_LIMITS, documentTimeoutMs: fullMs / 5 };
    const doc = await ocrImagePages([bytes, bytes], engine, { limits });
    const atDeadline = engine.stats();
    expect(doc.problems.map((p) => [p.code, p.page])).toEqual([
      ['PAGE_TIMEOUT', 1],
      ['TIMEOUT', 2],
    ]);
    await new Promise((r) => setTimeout(r, 1_000));
    await until(() => engine.stats().running === 0);
    expect(engine.stats().started).toBe(atDeadline.started);
  }, 300_000);
});
