import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../../core/model/index.js';
import type { OcrEngine } from '../../../core/ocr/ocr-engine.js';
import { ocrPreparedPage } from '../../../core/ocr/ocr-prepared-page.js';
import type { Raster } from '../../../core/raster/raster.js';
import { useOcrEngine } from '../../helpers/ocr-engine.js';

/**
 * A page of prose at `dpi` (12 pt Noto Sans CJK): a heading and a sentence with the figure S4 checks;
 * drawn at `drawnDpi` when the file's dpi is wrong (a photo without a density, 300 assumed).
 */
function prosePage(dpi: number, drawnDpi = dpi): Raster {
  const k = drawnDpi / 72;
  const canvas = createCanvas(Math.round(8.27 * dpi), Math.round(4 * dpi));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.font = `${Math.round(16 * k)}px "Noto Sans CJK SC"`;
  ctx.fillText('一、总体情况', 72 * k, 100 * k);
  ctx.font = `${Math.round(12 * k)}px "Noto Sans CJK SC"`;
  ctx.fillText('本年度共收到政府信息公开申请58件，均已按时答复。', 72 * k, 150 * k);
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4] ?? 255;
  return { width: canvas.width, height: canvas.height, data, dpi };
}

const NO_TABLES = { tables: [], cellCrops: new Map(), segments: [] };

describe('the prose pass at its reading resolution (real tesseract)', () => {
  const ocr = useOcrEngine({ workers: 1 });
  /** Reads `raster` as a page without tables; `seen` holds the dpi and width of each prose read. */
  const read = async (raster: Raster, faxLines = false): Promise<{ page: Page; seen: number[][] }> => {
    const seen: number[][] = [];
    const engine: OcrEngine = {
      ...ocr(),
      readPage: (image, at, opts) => {
        seen.push([at, image.width, image.height]);
        return ocr().readPage(image, at, opts);
      },
    };
    const input = { raster, rotation: 0 as const, found: NO_TABLES, ...(faxLines ? { faxLines } : {}) };
    const { page } = await ocrPreparedPage(input, 1, engine);
    return { page, seen };
  };
  const compact = (page: Page): string => page.text.replace(/\s/g, '');

  it('reads 300- and 204-dpi pages at 150 dpi, a 150-dpi one as it is, with the same text and line boxes in points', async () => {
    for (const dpi of [300, 204, 150]) {
      const raster = prosePage(dpi);
      const { page, seen } = await read(raster);
      // Read from the box of its ink (the two lines and a 12-pt margin), not the whole page.
      expect(seen.map(([at]) => at)).toEqual([150]);
      const [, width, height] = seen[0]!;
      expect(width).toBeLessThan(Math.round((raster.width * 150) / dpi) * 0.85);
      expect(height).toBeLessThan(((200 - 70) * 150) / 72);
      expect(compact(page)).toContain('共收到政府信息公开申请58件');
      const line = page.lines.find((l) => l.text.includes('58'));
      // Drawn with its baseline at 150 pt from the top, 12 pt high: its box is there in page points.
      expect(line!.box.y1).toBeGreaterThan(145);
      expect(line!.box.y1).toBeLessThan(156);
      expect(line!.box.x0).toBeGreaterThan(68);
      expect(line!.box.x0).toBeLessThan(76);
      expect(page.size.width).toBeCloseTo(8.27 * 72, 0);
    }
  }, 120_000);

  it('makes no prose call on a page whose ink is all in its tables (paper only once they are painted out)', async () => {
    const blank = prosePage(150);
    const { page, seen } = await read({ ...blank, data: new Uint8Array(blank.data.length).fill(255) });
    expect(seen).toEqual([]);
    expect(page.lines).toEqual([]);
  }, 120_000);

  it('reads a fax page at the resolution it was received at', async () => {
    const { page, seen } = await read(prosePage(204), true);
    expect(seen.map(([dpi]) => dpi)).toEqual([204]);
    expect(compact(page)).toContain('申请58件');
  }, 120_000);

  it('reads a page again as scanned when its text was too small for the reduced reading (a wrong dpi)', async () => {
    // Declared 300 dpi, drawn at 120: 12 pt glyphs are 20 px, 10 px at the reduced scale.
    const { page, seen } = await read(prosePage(300, 120));
    expect(seen.map(([dpi]) => dpi)).toEqual([150, 300]);
    expect(compact(page)).toContain('申请58件');
  }, 120_000);
});
