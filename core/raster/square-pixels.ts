import sharp from 'sharp';
import type { GrayImage } from './decode-bilevel-image.js';

/** Resolutions closer than this (relative) count as square: page sizes are rounded to points. */
const SQUARE_TOLERANCE = 0.015;

/**
 * An image whose pixels are not square (fax "standard" 204×98 and "fine" 204×196 lines, shown at
 * their true size by the PDF page) resampled to square pixels at the finer of the two resolutions,
 * so every later stage can treat one dpi as both axes. Linear interpolation: the doubled fax lines
 * come out with grey edges rather than stair steps.
 */
export async function toSquarePixels(img: GrayImage, xDpi: number, yDpi: number): Promise<GrayImage & { dpi: number }> {
  const dpi = Math.max(xDpi, yDpi);
  if (Math.abs(xDpi - yDpi) <= SQUARE_TOLERANCE * dpi) return { ...img, dpi: (xDpi + yDpi) / 2 };
  const width = Math.max(1, Math.round((img.width * dpi) / xDpi));
  const height = Math.max(1, Math.round((img.height * dpi) / yDpi));
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, width * height), dpi };
}
