/**
 * The scan generator's turned sheets (bench/scan-matrix's upside-down and sideways devices) are the
 * upright scan turned, pixel for pixel: a gray page came back from sharp's turn as RGB and was read
 * as gray, three interleaved copies of the page in stripes.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { makeScan, type ScanProfile } from '../helpers/make-scan.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const PDF = join(SHARED, 'corpus', 'dev', 'synth-1-0', 'digital.pdf');
const work = mkdtempSync(join(tmpdir(), 'docq-turn-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first page's image of a scan, as gray pixels. */
async function firstPage(scan: Uint8Array, name: string): Promise<{ data: Buffer; width: number; height: number }> {
  writeFileSync(join(work, `${name}.pdf`), scan);
  execFileSync('pdfimages', ['-f', '1', '-l', '1', '-j', join(work, `${name}.pdf`), join(work, name)]);
  const { data, info } = await sharp(join(work, `${name}-000.jpg`))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe.skipIf(!existsSync(PDF))('makeScan turns the sheet', () => {
  const flat: ScanProfile = { dpi: 60, angle: 0, blur: 0, noise: 0, jpegQuality: 95 };

  it('upside down and sideways are the upright page turned, in gray', async () => {
    const upright = await firstPage(await makeScan(PDF, flat), 'up');
    for (const turn of [180, 90] as const) {
      const turned = await firstPage(await makeScan(PDF, { ...flat, turn }), `t${turn}`);
      const { width: w, height: h } = upright;
      expect([turned.width, turned.height]).toEqual(turn === 180 ? [w, h] : [h, w]);
      let off = 0;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const at = turn === 180 ? (h - 1 - y) * w + (w - 1 - x) : x * h + (h - 1 - y);
          off += Math.abs(turned.data[at]! - upright.data[y * w + x]!);
        }
      // JPEG at 95 moves a few levels at edges; stripes of interleaved copies are off by ~100 on average.
      expect(off / (w * h)).toBeLessThan(4);
    }
  }, 60_000);
});
