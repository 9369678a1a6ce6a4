import { describe, expect, it } from 'vitest';
import { forEachInkRun, nextInk, wordsOf } from '../../../core/raster/ink-runs.js';
import { transpose } from '../../../core/raster/raster.js';

/** The runs of a line by the definition: ink pixels, paper gaps of up to `gap` bridged. */
function reference(line: readonly number[], gap: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  let last = -1;
  line.forEach((v, p) => {
    if (v === 0) return;
    if (start >= 0 && p - last - 1 > gap) {
      runs.push([start, last]);
      start = -1;
    }
    if (start < 0) start = p;
    last = p;
  });
  if (start >= 0) runs.push([start, last]);
  return runs;
}

/** A deterministic pseudo-random binary line: long paper stretches, ink runs, short gaps. */
function line(seed: number, len: number): number[] {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: number[] = [];
  let ink = false;
  while (out.length < len) {
    const n = 1 + Math.floor(rnd() * (ink ? 12 : rnd() < 0.3 ? 3 : 40));
    for (let i = 0; i < n && out.length < len; i++) out.push(ink ? 1 : 0);
    ink = !ink;
  }
  return out;
}

describe('forEachInkRun along rows (paper skipped a word at a time)', () => {
  it('finds the same runs as the pixel-by-pixel definition at every offset, gap and length', () => {
    let checked = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const len of [64, 65, 67, 130, 301]) {
        for (const offset of [0, 1, 2, 3, 5]) {
          const px = line(seed * 7 + len, len);
          // A wider buffer with ink before and after the line: the scan must stay inside it.
          const data = new Uint8Array(offset + len + 9).fill(1);
          data.set(px, offset);
          for (const gap of [0, 1, 2, 6]) {
            const got: [number, number][] = [];
            forEachInkRun(data, offset, 1, len, gap, (a, b) => got.push([a, b]));
            expect(got).toEqual(reference(px, gap));
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(40 * 5 * 5 * 4);
  });

  it('nextInk finds the first ink with or without the word view, and the end when there is none', () => {
    const data = new Uint8Array(40);
    data[17] = 1;
    data[38] = 1;
    for (const words of [wordsOf(data), null]) {
      expect(nextInk(data, words, 0, 40)).toBe(17);
      expect(nextInk(data, words, 18, 40)).toBe(38);
      expect(nextInk(data, words, 18, 38)).toBe(38);
      expect(nextInk(data, words, 3, 17)).toBe(17);
    }
    // An unaligned view has no word access: the byte scan answers.
    expect(wordsOf(new Uint8Array(data.buffer, 1, 20))).toBeNull();
  });

  it('transpose keeps every pixel of an odd-sized image, ink or paper', () => {
    const w = 37;
    const h = 11;
    const data = Uint8Array.from(line(3, w * h));
    const t = transpose(data, w, h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(t[x * h + y]).toBe(data[y * w + x]);
  });
});
