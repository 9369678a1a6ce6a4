/**
 * Tables on phone photos of printed reports: a dev report page rendered flat (the flat-bed
 * reference) and photographed (test/helpers/make-photo.ts: keystone, 5° turn, warm paper, light
 * falling to 55 %, a shadow over a third of the page, curl, JPEG 60) must give the same ruled
 * grids. Before the keystone rules below, leaning rules split the columns of these tables
 * (13 × 4 → 13 × 5, 11 × 10 → 11 × 15, 9 × 10 → 9 × 12) and the turned 表四 page came out sideways.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../core/intake/decode-image.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import type { Raster } from '../../core/raster/raster.js';
import { makePhoto, PHONE, PHONE_HARD, renderFlat } from '../helpers/make-photo.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const DEV = join(SHARED, 'corpus', 'dev');
const present = existsSync(join(DEV, 'seed-0', 'digital.pdf'));

async function grids(raster: Raster): Promise<{ shapes: string[]; rotation: number; rectified: boolean }> {
  const prepared = await prepareScan(raster);
  const found = findRasterTables(prepared, 1);
  return {
    shapes: found.tables.map((t) => `${t.rows}x${t.cols}`),
    rotation: prepared.rotation,
    rectified: found.raster !== undefined,
  };
}

async function photographed(doc: string, page: number, profile = PHONE_HARD): Promise<Raster> {
  const bytes = await makePhoto(renderFlat(join(DEV, doc, 'digital.pdf'), page, 200), profile, page);
  const decoded = await decodeImage(bytes);
  if (decoded.status === 'failed') throw new Error(decoded.problem.message);
  return decoded.pages[0]!;
}

describe.skipIf(!present)('ruled tables on phone photos of dev report pages', () => {
  it.each([
    ['seed-0', 2],
    ['seed-0', 4],
    ['seed-1', 4],
    ['synth-2019-0', 1],
  ] as const)(
    '%s page %i: the photo gives the flat page grids, rectified',
    async (doc, page) => {
      const flat = await grids(renderFlat(join(DEV, doc, 'digital.pdf'), page, 200));
      expect(flat.shapes.length).toBeGreaterThan(0);
      const photo = await grids(await photographed(doc, page));
      expect(photo.rotation).toBe(0);
      expect(photo.rectified).toBe(true);
      expect(photo.shapes).toEqual(flat.shapes);
    },
    60_000,
  );

  it('a keystoned 表四 page with little text and a dark desk stays upright', async () => {
    const photo = await grids(await photographed('synth-1-0', 3));
    expect(photo.rotation).toBe(0);
    expect(photo.shapes.length).toBeGreaterThan(0);
  }, 60_000);

  it('the milder photo profile finds the 表三 grid of the flat page', async () => {
    const flat = await grids(renderFlat(join(DEV, 'seed-1', 'digital.pdf'), 3, 200));
    const photo = await grids(await photographed('seed-1', 3, PHONE));
    expect(photo.shapes).toEqual(flat.shapes);
  }, 60_000);
});
