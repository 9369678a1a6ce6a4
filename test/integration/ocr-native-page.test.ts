/**
 * The prose pass through Debian's tesseract CLI reads a dev scan page as tesseract.js does (the same
 * recogniser and traineddata; only the build differs), and the engine says which it uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, type OcrEngine } from '../../core/index.js';
import type { PageReading } from '../../core/ocr/ocr-engine.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../../core/pdf/page-image.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { DEFAULT_LIMITS } from '../../core/intake/limits.js';
import { isProblem } from '../../core/intake/is-problem.js';
import type { Raster } from '../../core/raster/raster.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const SCAN = join(SHARED, 'corpus', 'dev', 'synth-2019-1', 'scan-heavy.pdf');

async function firstPage(): Promise<Raster> {
  const pdf = await openPdf(new Uint8Array(readFileSync(SCAN)), DEFAULT_LIMITS);
  if (isProblem(pdf)) throw new Error(pdf.message);
  try {
    const loaded = await loadPageRaster(
      indexPdfObjects(await pdf.proxy.getData()),
      (await pdf.getPage(1)) as unknown as ImagePage,
      1,
    );
    if (loaded.status !== 'ok') throw new Error('page not loaded');
    return loaded.raster;
  } finally {
    await pdf.destroy();
  }
}

const text = (r: PageReading): string => r.paragraphs.flatMap((p) => p.lines.map((l) => l.text.trim())).join('\n');

/** Characters of `a` found in order in `b` (longest common subsequence) over the length of the longer. */
function similarity(a: string, b: string): number {
  const prev = new Uint16Array(b.length + 1);
  const cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++)
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev.set(cur);
  }
  return prev[b.length]! / Math.max(a.length, b.length);
}

describe.skipIf(!existsSync(SCAN))('native prose pass', () => {
  let native: OcrEngine;
  let wasm: OcrEngine;
  beforeAll(async () => {
    native = await createOcrEngine({ workers: 1 });
    wasm = await createOcrEngine({ workers: 1, nativePage: false });
  });
  afterAll(async () => {
    await native?.terminate();
    await wasm?.terminate();
  });

  it('reads a dev scan page as tesseract.js reads it, and the engine records it', async () => {
    expect(native.traineddata).toContain('+native-page');
    expect(wasm.traineddata).not.toContain('native');
    const page = await firstPage();
    const [a, b] = await Promise.all([native.readPage(page, page.dpi), wasm.readPage(page, page.dpi)]);
    expect(text(a)).toContain('政府信息公开工作年度报告');
    expect(a.paragraphs.flatMap((p) => p.lines)).toHaveLength(b.paragraphs.flatMap((p) => p.lines).length);
    expect(similarity(text(a), text(b))).toBeGreaterThan(0.97);
    const line = a.paragraphs[0]!.lines[0]!;
    expect(line.box.x1).toBeGreaterThan(line.box.x0);
    expect(line.words.every((w) => w.confidence > 0 && w.confidence <= 1)).toBe(true);
  }, 300_000);
});
