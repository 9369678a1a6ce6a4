import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, DEFAULT_IMAGE_DPI } from '../../../core/intake/decode-image.js';

const solid = (r: number, g: number, b: number): sharp.Sharp =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g, b } } });

describe('decodeImage', () => {
  it('reads a PNG to gray with its density, the red channel lifted by redness standing in for colour', async () => {
    const png = await solid(220, 30, 30).png().withMetadata({ density: 200 }).toBuffer();
    const out = await decodeImage(png);
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.pages).toHaveLength(1);
    const page = out.pages[0]!;
    expect([page.width, page.height, page.dpi]).toEqual([40, 30, 200]);
    expect(page.data.length).toBe(1200);
    expect(page.data[0]).toBe(255); // 220 red, lifted by its redness (190 × 0.5): red ink reads as paper
  });

  it('defaults to 300 dpi when a JPEG carries none (or a 72-dpi placeholder)', async () => {
    const jpeg = await solid(10, 10, 10).jpeg().withMetadata({ density: 72 }).toBuffer();
    const out = await decodeImage(jpeg);
    expect(out.status === 'ok' && out.pages[0]!.dpi).toBe(DEFAULT_IMAGE_DPI);
  });

  it('splits a multi-page TIFF into pages', async () => {
    const white = await solid(255, 255, 255).png().toBuffer();
    const black = await solid(0, 0, 0).png().toBuffer();
    const tiff = await sharp([white, black], { join: { animated: true } })
      .tiff()
      .withMetadata({ density: 300 })
      .toBuffer();
    const out = await decodeImage(tiff);
    expect(out.status).toBe('ok');
    if (out.status !== 'ok') return;
    expect(out.pages.map((p) => [p.width, p.height, p.data[0]])).toEqual([
      [40, 30, 255],
      [40, 30, 0],
    ]);
  });

  it('returns problems instead of throwing', async () => {
    const garbage = await decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
    expect(garbage.status === 'failed' && garbage.problem.code).toBe('CORRUPT');
    const gif = await solid(1, 2, 3).gif().toBuffer();
    const wrong = await decodeImage(gif);
    expect(wrong.status === 'failed' && wrong.problem).toMatchObject({ code: 'UNSUPPORTED_TYPE', stage: 'intake' });
  });
});
