import { describe, expect, it } from 'vitest';
import type { InkReport } from '../../../core/ocr/find-ink.js';
import { inkShares } from '../../../core/ocr/ink-shares.js';
import { shapeAt } from '../../../core/ocr/page-digit-shapes.js';
import { labelShape } from '../../../core/ocr/label-shapes.js';

/** A crop-sized ink report with a pseudo-random mask (only the fields the grids read). */
function inkOf(w: number, h: number, seed: number): InkReport {
  let s = seed;
  const mask = new Uint8Array(w * h).map(() => (((s = (s * 1103515245 + 12345) >>> 0) >>> 16) % 3 === 0 ? 1 : 0));
  return {
    crop: { x0: 40, y0: 20, x1: 40 + w, y1: 20 + h },
    box: { x0: 43, y0: 22, x1: 40 + w - 2, y1: 20 + h - 1 },
    mask,
  } as unknown as InkReport;
}

/** The digit window grid as the fax digit classifier was measured with it (session 11's shapeAt). */
function measuredShapeAt(ink: InkReport, centre: number, pitch: number): Float32Array {
  const w = ink.crop.x1 - ink.crop.x0;
  const box = ink.box!;
  const top = box.y0 - ink.crop.y0;
  const height = box.y1 - box.y0;
  const left = centre - pitch / 2;
  const out = new Float32Array(8 * 12);
  const counts = new Float32Array(8 * 12);
  for (let y = top; y < top + height; y++) {
    const gy = Math.min(11, Math.floor(((y - top) / height) * 12));
    for (let x = Math.max(0, Math.floor(left)); x < Math.min(w, Math.ceil(left + pitch)); x++) {
      const gx = Math.min(7, Math.max(0, Math.floor(((x - left) / pitch) * 8)));
      counts[gy * 8 + gx]!++;
      out[gy * 8 + gx]! += ink.mask[y * w + x]!;
    }
  }
  return out.map((v, i) => (counts[i]! > 0 ? v / counts[i]! : 0));
}

describe('inkShares', () => {
  it('gives the fax digit windows exactly the grid they were measured with', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const ink = inkOf(37 + seed, 19 + (seed % 7), seed);
      for (const [centre, pitch] of [
        [4.5, 9.3],
        [17.25, 10],
        [30.7, 11.6],
        [-1.2, 7],
      ] as const)
        expect(shapeAt(ink, centre, pitch)).toEqual(measuredShapeAt(ink, centre, pitch));
    }
  });

  it('is the label memory grid: shares over the ink box', () => {
    const ink = inkOf(50, 24, 7);
    const shape = labelShape({ ...ink, rows: 1 })!;
    const box = ink.box!;
    const win = {
      left: box.x0 - ink.crop.x0,
      width: box.x1 - box.x0,
      top: box.y0 - ink.crop.y0,
      height: box.y1 - box.y0,
    };
    expect(shape.grid(shape.cols)).toEqual(inkShares(ink, win, shape.cols, 12));
    // One cell: the ink box's own share of ink.
    let inked = 0;
    for (let y = 0; y < win.height; y++)
      for (let x = 0; x < win.width; x++) inked += ink.mask[(win.top + y) * 50 + win.left + x]!;
    expect(inkShares(ink, win, 1, 1)[0]).toBeCloseTo(inked / (win.width * win.height), 6);
  });
});
