import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPages } from '../../core/index.js';
import { writeRawTiff } from '../../bench/fuzz/raw-tiff.js';

/** One decoded A4 page at 300 dpi, gray: 2480 × 3508 bytes ≈ 8.7 MB; all 200 would be ≈ 1.7 GB. */
const PAGE_BYTES = 2480 * 3508;

describe('multi-page TIFF pages are decoded lazily, within the page range', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docq-tiff-'));
    file = join(dir, 'scan-200.tif');
    await writeFile(file, writeRawTiff({ pages: 200, width: 2480, height: 3508 }));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('counts 200 pages from the header alone', async () => {
    const bytes = new Uint8Array(await import('node:fs/promises').then((fs) => fs.readFile(file)));
    expect(await countPages({ bytes })).toBe(200);
  });

  it('a fan-out child reading pages 199–200 of a 200-page TIFF stays within a few pages of memory', async () => {
    // A fresh process, so its peak RSS is this work's alone.
    const script = `
      const { readFileSync } = await import('node:fs');
      const core = await import(${JSON.stringify(new URL('../../core/index.ts', import.meta.url).href)});
      const ocr = await core.createOcrEngine({ workers: 1 });
      const partial = await core.analyzeRange({ bytes: new Uint8Array(readFileSync(${JSON.stringify(file)})) }, { from: 199, to: 200 }, { ocr });
      await ocr.terminate();
      process.stdout.write(JSON.stringify({ pages: partial.pages.map((p) => p.number), pageCount: partial.pageCount, problems: partial.problems, maxRssKb: process.resourceUsage().maxRSS }));
    `;
    await writeFile(join(dir, 'read-range.mts'), script);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(dir, 'read-range.mts')], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const result = JSON.parse(stdout) as { pages: number[]; pageCount: number; problems: unknown[]; maxRssKb: number };
    expect(result.pageCount).toBe(200);
    expect(result.pages).toEqual([199, 200]);
    expect(result.problems).toEqual([]);
    // Decoding every page first (as before) holds > 1.7 GB; one page at a time, with the OCR engine, ≈ 0.6 GB.
    const rss = result.maxRssKb * 1024;
    expect(rss).toBeLessThan(100 * PAGE_BYTES);
  }, 180_000);
});
