/**
 * Photographed pages as the scan matrix makes them (bench/matrix/devices.ts `photo`: keystone and a
 * slight turn, the right edge curling, warm paper, uneven light, JPEG 80) and as the pipeline reads
 * them (core/pdf loadPageRaster: the page rendered at 300 dpi): the tables found must be the flat
 * page's. Before correct-curl the curled last column of a table merged down (2 × 3 for 2 × 4), and
 * before the strong-spread rule the slanted outer rule of a 3-row 表四 was lost (3 × 13 for 3 × 15).
 * Before flatten-shading, ten 表二 cells of a shadowed photo had no ink for find-ink (their crops
 * spanned the shadow's edge and one threshold split paper from paper): blanks read from printed values.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../core/intake/limits.js';
import { findInk } from '../../core/ocr/find-ink.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../../core/pdf/page-image.js';
import { estimateCurl, uncurlBinary } from '../../core/raster/correct-curl.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import type { Raster } from '../../core/raster/raster.js';
import { DEVICES } from '../../bench/matrix/devices.js';
import { renderFlat } from '../helpers/make-photo.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const PDF = join(SHARED, 'corpus', 'dev', 'synth-1-0', 'digital.pdf');
const present = existsSync(PDF);

async function pageOf(bytes: Uint8Array, n: number): Promise<Raster> {
  const pdf = await openPdf(bytes.slice(), DEFAULT_LIMITS);
  if (!('proxy' in pdf)) throw new Error(pdf.message);
  const loaded = await loadPageRaster(await indexPdfObjects(bytes), (await pdf.getPage(n)) as unknown as ImagePage, n);
  if (loaded.status !== 'ok') throw new Error(loaded.problem.message);
  return loaded.raster;
}

/** Keys of the cells whose crop find-ink finds ink in. */
async function inkedCells(raster: Raster): Promise<string[]> {
  const prepared = await prepareScan(raster);
  const found = findRasterTables(prepared, 1);
  const page = found.raster ?? prepared.raster;
  return [...found.cellCrops].filter(([, box]) => findInk(page, box, page.dpi).box !== null).map(([k]) => k);
}

async function shapes(raster: Raster): Promise<{ shapes: string[]; rectified: boolean }> {
  const found = findRasterTables(await prepareScan(raster), 1);
  return { shapes: found.tables.map((t) => `${t.rows}x${t.cols}`), rectified: found.raster !== undefined };
}

describe.skipIf(!present)('tables on matrix phone photos, read as the pipeline reads them', () => {
  it('a curled table page and a keystoned short 表四 give the flat pages’ grids', async () => {
    const photo = DEVICES.find((d) => d.id === 'photo')!;
    const bytes = await photo.make(PDF, { seed: 1, index: 0, issuer: '人民政府办公室' });
    for (const n of [1, 3]) {
      const flat = await shapes(renderFlat(PDF, n, 200));
      expect(flat.shapes.length).toBeGreaterThan(0);
      const got = await shapes(await pageOf(bytes, n));
      expect({ page: n, ...got }).toEqual({ page: n, shapes: flat.shapes, rectified: true });
    }
  }, 240_000);

  it('under a shadow every cell holding ink on the flat page holds ink on the photo', async () => {
    const photo = DEVICES.find((d) => d.id === 'photo')!;
    const bytes = await photo.make(PDF, { seed: 2, index: 0, issuer: '人民政府办公室' });
    const flat = await inkedCells(renderFlat(PDF, 1, 200));
    expect(flat.length).toBeGreaterThan(20);
    expect(await inkedCells(await pageOf(bytes, 1))).toEqual(expect.arrayContaining(flat));
  }, 240_000);

  it('estimateCurl finds no curl on a flat page and recovers a bend put into its columns', async () => {
    const prepared = await prepareScan(renderFlat(PDF, 2, 200));
    const found = findRasterTables(prepared, 1);
    expect(found.raster).toBeUndefined();
    expect(estimateCurl(prepared.binary, found.segments)).toBeNull();
    // The matrix photo's curl: nothing left of 65 % of the width, then rising with the square to 8 px.
    const w = prepared.binary.width;
    const bend = new Float32Array(w).map((_, x) => -8 * Math.max(0, (x - 0.65 * w) / (0.35 * w)) ** 2);
    const bent = uncurlBinary(prepared.binary, bend);
    const shift = estimateCurl(bent, found.segments);
    expect(shift).not.toBeNull();
    // Across the table (its vertical rules' extent) the estimate undoes the bend to within 1.5 px.
    const xs = found.segments.filter((s) => s.axis === 'v').map((s) => (s.at * prepared.binary.dpi) / 72);
    const [x0, x1] = [Math.ceil(Math.min(...xs)), Math.floor(Math.max(...xs))];
    let worst = 0;
    for (let x = x0; x <= x1; x++) worst = Math.max(worst, Math.abs(shift![x]! + bend[x]!));
    expect(worst).toBeLessThan(1.5);
  }, 120_000);
});
