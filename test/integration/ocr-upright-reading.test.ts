/**
 * The upright question asked of the page's own reading (ocr-page.ts): a page whose prose reads
 * surely is kept as levelled without the upright scorer's strip reads; the same page upside down
 * reads as garbage, falls back to the strips, is turned and read again, and gives the same cells.
 * Dev pages of documents not used to set the thresholds (those were the *-0 documents).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, type OcrEngine } from '../../core/index.js';
import { decodeImage } from '../../core/intake/decode-image.js';
import { ocrPage } from '../../core/ocr/ocr-page.js';
import { rotateRightAngle, type Raster } from '../../core/raster/raster.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const DEV = join(SHARED, 'corpus', 'dev');
/** A prose page and a 表三 page (its prose around the painted-out table is short). */
const PAGES = ['synth-2019-2/pages/heavy-1.jpg', 'synth-21x-2/pages/heavy-2.jpg'];

async function decodeFirst(file: string): Promise<Raster> {
  const d = await decodeImage(new Uint8Array(readFileSync(join(DEV, file))));
  if (d.status === 'failed') throw new Error(d.problem.message);
  return d.pages[0]!;
}

describe.skipIf(!existsSync(DEV))('upright decided by the page reading', () => {
  let ocr: OcrEngine;
  let strips = 0;
  let engine: OcrEngine;
  beforeAll(async () => {
    ocr = await createOcrEngine({ workers: 1 });
    engine = {
      ...ocr,
      readWords: (...args) => {
        strips++;
        return ocr.readWords(...args);
      },
    };
  });
  afterAll(async () => {
    await ocr?.terminate();
  });

  it.each(PAGES)(
    '%s: upright without a strip read when its prose is sure, upside down turned back with the same cells',
    async (file) => {
      const page = await decodeFirst(file);
      strips = 0;
      const upright = await ocrPage(page, 1, engine);
      const uprightStrips = strips;
      expect(upright.page.rotation).toBe(0);
      expect(upright.page.orientation?.uncertain).toBe(false);
      strips = 0;
      const turned = await ocrPage(rotateRightAngle(page, 180), 1, engine);
      expect(turned.page.rotation).toBe(180);
      expect(turned.page.orientation?.uncertain).toBe(false);
      expect(strips).toBeGreaterThan(0);
      // The half-turned page is resampled about another centre pixel: labels may differ by a character, numbers must not.
      const numbers = (r: typeof upright): string[] =>
        r.tables.flatMap((t) => t.cells.map((c) => (/^[\d.+-]*$/.test(c.text) ? c.text : 'label')));
      expect(numbers(turned)).toEqual(numbers(upright));
      expect(numbers(upright).filter((t) => /\d/.test(t)).length).toBeGreaterThan(10);
      expect(turned.page.text.length).toBeGreaterThan(0);
      // The prose page's reading is sure on its own; the 表三 page may need the strips (short prose).
      if (file.includes('heavy-1')) expect(uprightStrips).toBe(0);
    },
    240_000,
  );
});
