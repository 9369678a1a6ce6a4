import { cropRaster, padRaster, scaleRaster } from './crop-raster.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';
import type { OcrEngine } from './ocr-engine.js';

/** The crops are read this tall (pixels): the LSTM's digits want ≈ 30–50 px (settle-readings' SMALL_GLYPH_PX). */
const READ_HEIGHT_PX = 40;
/** White margin around each crop once scaled, pixels (0.3 of the height, as read-cell's first crop). */
const PAD_PX = 12;
/** The two crops reach this far (pixels at 204 dpi, a fax's fine mode) beyond the ink box: two framings of one ink. */
const MARGINS_204 = [1, 4] as const;
/** Each crop's weakest digit must be at least this sure. */
const SURE = 0.9;

/**
 * A fax's thinned strokes break into specks the ink finder drops as noise, and then a hairline 8 or 6
 * is gone from the crop the recogniser sees (1288 read as 12, 1362 as 1.302). This reads the ink
 * box's own pixels, specks kept, in two framings; the number is taken only when both framings read
 * the same whole number with every digit sure, with `digits` digits. The recogniser's reading of such
 * tiny crops moves with a pixel of framing, so one framing alone is no evidence. Null otherwise.
 */
export async function readBoxPixels(
  raster: GrayRaster,
  box: PixelBox,
  dpi: number,
  digits: number,
  engine: OcrEngine,
): Promise<string | null> {
  const texts: string[] = [];
  for (const margin of MARGINS_204) {
    const m = Math.max(1, Math.round((margin * dpi) / 204));
    const crop = cropRaster(raster, { x0: box.x0 - m, y0: box.y0 - m, x1: box.x1 + m, y1: box.y1 + m });
    if (crop.height === 0 || crop.width === 0) return null;
    const up = READ_HEIGHT_PX / crop.height;
    const read = await engine.readLine(padRaster(scaleRaster(crop, up), PAD_PX), 'digits', dpi * up, 1);
    if (!/^\d+$/.test(read.text) || read.text.length !== digits || read.weakest < SURE) return null;
    if (texts.length > 0 && texts[0] !== read.text) return null;
    texts.push(read.text);
  }
  return texts[0] ?? null;
}
