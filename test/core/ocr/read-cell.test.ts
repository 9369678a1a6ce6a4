import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';
import { BLANK_CONFIDENCE, readCell } from '../../../core/ocr/read-cell.js';
import { useOcrEngine } from '../../helpers/ocr-engine.js';

/** A ruled table row at 300 dpi: three cells with the given texts (10.5 pt serif digits), rules 3 px. */
function ruledRow(
  texts: readonly string[],
  speckX?: number,
): {
  raster: GrayRaster;
  frames: { x0: number; y0: number; x1: number; y1: number }[];
} {
  const cellW = 180;
  const h = 100;
  const canvas = createCanvas(cellW * texts.length + 4, h + 4);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.fillRect(0, 0, canvas.width, 3);
  ctx.fillRect(0, h, canvas.width, 3);
  const frames = texts.map((t, i) => {
    ctx.fillRect(i * cellW, 0, 3, h + 3);
    ctx.font = '44px "DejaVu Serif"';
    ctx.fillText(t, i * cellW + 50, 66);
    // A fax's stray pels: a full stop's worth of ink well clear of the number.
    if (speckX !== undefined) ctx.fillRect(i * cellW + speckX, 60, 5, 5);
    return { x0: i * cellW + 1, y0: 1, x1: (i + 1) * cellW + 1, y1: h + 1 };
  });
  ctx.fillRect(texts.length * cellW, 0, 3, h + 3);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4] ?? 255;
  return { raster: { width: canvas.width, height: canvas.height, data }, frames };
}

describe('readCell (real tesseract.js)', () => {
  const engine = useOcrEngine({ workers: 1 });

  it('reads numbers from frames that include the ruling lines', async () => {
    const { raster, frames } = ruledRow(['120', '38', '7']);
    const read = await Promise.all(frames.map((f) => readCell(raster, f, 300, engine())));
    expect(read.map((r) => r.text)).toEqual(['120', '38', '7']);
    for (const r of read) {
      expect(r.kind).toBe('digits');
      expect(r.confidence).toBeGreaterThan(0.8);
    }
  });

  it('returns a blank cell as empty text with high confidence, without calling the recogniser', async () => {
    const { raster, frames } = ruledRow(['', '5']);
    const before = engine().stats().calls;
    const blank = await readCell(raster, frames[0]!, 300, engine());
    expect(blank).toMatchObject({ text: '', kind: 'blank', confidence: BLANK_CONFIDENCE });
    expect(engine().stats().calls).toBe(before);
  });

  it('reads a 0 or a 1 with a speck beside it as the digit, not as `0.` or nothing', async () => {
    for (const speckX of [12, 150]) {
      const { raster, frames } = ruledRow(['0', '1', '47'], speckX);
      const read = await Promise.all(frames.map((f) => readCell(raster, f, 300, engine())));
      expect(read.map((r) => r.text)).toEqual(['0', '1', '47']);
    }
  });
});
