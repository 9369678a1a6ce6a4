import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReviewPage, type StoredPage } from '../../api/page-raster.js';
import { decodeImage } from '../../core/intake/decode-image.js';
import { MIN_DESKEW_DEG, prepareScan } from '../../core/raster/prepare-scan.js';
import { DEV_CORPUS } from '../helpers/review-server.js';

const PHOTO = join(DEV_CORPUS, 'synth-21x-2/pages/heavy-2.jpg');

/** The page as prepareScan left it (what the OCR read), and its record with the recorded geometry. */
async function prepared(): Promise<{ bytes: Uint8Array; raster: Uint8Array; page: StoredPage }> {
  const bytes = new Uint8Array(await readFile(PHOTO));
  const decoded = await decodeImage(bytes);
  if (decoded.status !== 'ok') throw new Error('the dev photo does not decode');
  const scan = await prepareScan(decoded.pages[0]!);
  const { width, height, dpi } = scan.raster;
  const deskewDeg = Math.abs(scan.skewDeg) >= MIN_DESKEW_DEG ? scan.skewDeg : 0;
  return {
    bytes,
    raster: scan.raster.data,
    page: {
      number: 1,
      method: 'ocr',
      rotation: scan.rotation,
      image: { width, height, dpi, deskewDeg, rectified: false },
    },
  };
}

async function pixels(bytes: Uint8Array, page: StoredPage): Promise<Uint8Array> {
  const result = await renderReviewPage(bytes.slice(), page);
  if (result.status !== 'ok') throw new Error(result.message);
  return result.gray;
}

describe('a scanned page for the review page, from the geometry recorded at extraction', () => {
  it('applies the recorded turn and deskew: the very pixels the OCR read, without preparing the page again', async () => {
    const { bytes, raster, page } = await prepared();
    expect(Math.abs(page.image!.deskewDeg!)).toBeGreaterThan(0.5); // the photo is visibly skewed
    const fast = await pixels(bytes, page);
    expect(Buffer.from(fast).equals(Buffer.from(raster))).toBe(true);
    // Another angle gives other pixels: the recorded one is what is applied.
    const off = await pixels(bytes, { ...page, image: { ...page.image!, deskewDeg: page.image!.deskewDeg! + 1 } });
    expect(Buffer.from(off).equals(Buffer.from(raster))).toBe(false);
  }, 60_000);

  it('prepares the page again when there is no recorded geometry or the page was rectified', async () => {
    const { bytes, raster, page } = await prepared();
    const { width, height, dpi } = page.image!;
    const unrecorded = await pixels(bytes, { ...page, image: { width, height, dpi } });
    expect(Buffer.from(unrecorded).equals(Buffer.from(raster))).toBe(true);
    // A wrong angle marked rectified is not applied: the page is found again.
    const rectified = { ...page.image!, deskewDeg: page.image!.deskewDeg! + 1, rectified: true };
    expect(Buffer.from(await pixels(bytes, { ...page, image: rectified })).equals(Buffer.from(raster))).toBe(true);
  }, 60_000);
});
