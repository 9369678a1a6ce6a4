import { describe, expect, it } from 'vitest';
import { findInk } from '../../../core/ocr/find-ink.js';
import type { GrayRaster } from '../../../core/ocr/gray-raster.js';

/** A white raster with seeded gray noise (JPEG grain), so blank detection is tested on paper, not on 255s. */
function paper(width: number, height: number, noise = 20, seed = 7): GrayRaster & { data: Uint8Array } {
  const data = new Uint8Array(width * height);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    data[i] = 245 - (s % noise);
  }
  return { width, height, data };
}

function fill(r: { width: number; data: Uint8Array }, x0: number, y0: number, x1: number, y1: number, gray = 20): void {
  for (let y = y0; y < y1; y++) r.data.fill(gray, y * r.width + x0, y * r.width + x1);
}

/** A CJK-sized glyph: the outline of a 40 × 40 square, strokes 5 px. */
function square(r: { width: number; data: Uint8Array }, x: number, y: number): void {
  fill(r, x, y, x + 40, y + 5);
  fill(r, x, y + 35, x + 40, y + 40);
  fill(r, x, y, x + 5, y + 40);
  fill(r, x + 35, y, x + 40, y + 40);
}

describe('findInk', () => {
  it('calls paper with grain blank', () => {
    const r = paper(120, 60);
    expect(findInk(r, { x0: 0, y0: 0, x1: 120, y1: 60 }, 300).box).toBeNull();
  });

  it('drops ruling lines at the crop edges and keeps the glyphs between them', () => {
    const r = paper(200, 80);
    fill(r, 0, 0, 200, 3); // top rule
    fill(r, 0, 77, 200, 80); // bottom rule
    fill(r, 0, 0, 3, 80); // left rule
    fill(r, 90, 25, 96, 55); // a "1"
    fill(r, 104, 25, 120, 55); // a "0"-sized blob
    const ink = findInk(r, { x0: 0, y0: 0, x1: 200, y1: 80 }, 300);
    expect(ink.box).toEqual({ x0: 90, y0: 25, x1: 120, y1: 55 });
    expect(ink.rows).toBe(1);
    expect(ink.wide).toBe(false);
    expect(ink.glyphs.map((g) => [g.width, g.height, g.stem])).toEqual([
      [6, 30, 1],
      [16, 30, 1],
    ]);
  });

  it('counts the upright glyphs of a number: touching ones as one, points and minus signs not at all', () => {
    const r = paper(260, 80);
    fill(r, 70, 25, 76, 55); // 1
    fill(r, 82, 25, 88, 55); // 1, apart
    fill(r, 92, 51, 96, 55); // a decimal point
    fill(r, 102, 25, 118, 55); // 0
    fill(r, 118, 25, 134, 55); // 0 touching it
    fill(r, 142, 38, 156, 42); // a minus sign between
    fill(r, 162, 25, 178, 55); // 8
    const ink = findInk(r, { x0: 0, y0: 0, x1: 260, y1: 80 }, 300);
    expect(ink.glyphs.map((g) => g.width)).toEqual([6, 6, 32, 16]);
  });

  it('keeps a lone 1 set against the side of a wide cell, and still drops a stroke hugging the side', () => {
    const r = paper(400, 80);
    fill(r, 30, 25, 36, 55); // a left-aligned 1, 30 px in
    expect(findInk(r, { x0: 0, y0: 0, x1: 400, y1: 80 }, 300).box).toEqual({ x0: 30, y0: 25, x1: 36, y1: 55 });
    const remnant = paper(400, 80);
    fill(remnant, 4, 20, 8, 60); // a rule remnant 4 px from the side
    expect(findInk(remnant, { x0: 0, y0: 0, x1: 400, y1: 80 }, 300).box).toBeNull();
  });

  it('calls a cell holding only rules and specks blank', () => {
    const r = paper(200, 80);
    fill(r, 0, 0, 200, 3);
    fill(r, 197, 0, 200, 80);
    fill(r, 100, 40, 102, 42); // a 4-pixel speck
    expect(findInk(r, { x0: 0, y0: 0, x1: 200, y1: 80 }, 300).box).toBeNull();
  });

  it('tells wrapped and wide (CJK-shaped) text from a number', () => {
    const r = paper(300, 140);
    square(r, 40, 20); // a square glyph, 40 × 40
    square(r, 40, 80); // a second text row
    const ink = findInk(r, { x0: 0, y0: 0, x1: 300, y1: 140 }, 300);
    expect(ink.rows).toBe(2);
    const one = findInk(r, { x0: 0, y0: 0, x1: 300, y1: 70 }, 300);
    expect(one.rows).toBe(1);
    expect(one.wide).toBe(true);
  });

  it('drops a stray dot left or right of a number, and keeps its decimal point and minus sign', () => {
    const r = paper(300, 80);
    fill(r, 30, 50, 35, 55); // a speck far left (a full stop's size: 25 px)
    fill(r, 100, 38, 114, 42); // a minus sign
    fill(r, 120, 25, 136, 55); // 4
    fill(r, 140, 51, 144, 55); // a decimal point
    fill(r, 150, 25, 166, 55); // 2
    fill(r, 220, 48, 225, 53); // a speck far right
    const ink = findInk(r, { x0: 0, y0: 0, x1: 300, y1: 80 }, 300);
    expect(ink.box).toEqual({ x0: 100, y0: 25, x1: 166, y1: 55 });
    // The specks are gone from the mask too: the clean crop the recogniser reads never shows them.
    expect(ink.mask[52 * 300 + 32]).toBe(0);
    expect(ink.mask[50 * 300 + 222]).toBe(0);
    expect(ink.mask[53 * 300 + 142]).toBe(1);
  });
});
