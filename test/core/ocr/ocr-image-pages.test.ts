import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ocrImagePages } from '../../../core/ocr/ocr-page.js';
import { useOcrEngine } from '../../helpers/ocr-engine.js';

const DOC = '/work/shared/corpus/dev/synth-1-2';

describe('ocrImagePages on a heavy scan page image (real tesseract.js)', () => {
  const engine = useOcrEngine({ workers: 1 });

  const gt = JSON.parse(readFileSync(`${DOC}/gt.json`, 'utf8')) as { tables: { review_litigation: number[][] } };
  const numbersOf = (tables: readonly { cells: readonly { row: number; col: number; text: string }[] }[]): number[] =>
    tables
      .flatMap((t) => [...t.cells].sort((a, b) => a.row - b.row || a.col - b.col))
      .filter((c) => /^\d+$/.test(c.text))
      .map((c) => Number(c.text));

  it('turns an upside-down page image upright before reading it', async () => {
    const flipped = await sharp(readFileSync(`${DOC}/pages/heavy-3.jpg`))
      .rotate(180)
      .jpeg()
      .toBuffer();
    const result = await ocrImagePages([new Uint8Array(flipped)], engine());
    expect(result.pages[0]?.rotation).toBe(180);
    expect(numbersOf(result.tables).slice(-15)).toEqual(gt.tables.review_litigation.flat());
  });

  it('finds the review/litigation table and reads its numbers as printed', async () => {
    const result = await ocrImagePages([new Uint8Array(readFileSync(`${DOC}/pages/heavy-3.jpg`))], engine());
    expect(result.problems).toEqual([]);
    expect(result.pageCount).toBe(1);
    const page = result.pages[0]!;
    expect(page).toMatchObject({ number: 1, method: 'ocr', rotation: 0 });
    expect(page.image?.dpi).toBeGreaterThan(150);
    expect(page.ocrConfidence).toBeGreaterThan(0.5);
    expect(numbersOf(result.tables).slice(-15)).toEqual(gt.tables.review_litigation.flat());
  });
});
