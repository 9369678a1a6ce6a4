import sharp from 'sharp';
import type { GrayImage } from './decode-bilevel-image.js';

/** Resolutions closer than this (relative) count as square: page sizes are rounded to points. */
const SQUARE_TOLERANCE = 0.015;
/**
 * A coarse axis stretched this much or more (fax standard mode, 98 lines an inch shown at 204) is
 * smoothed after the stretch, by this Gaussian sigma per unit of stretch (pixels): each doubled 1-bit
 * line is a stair the recogniser reads as two strokes, and thin strokes the fax kept as one line
 * read better as grey than as a hard bar. Not more: at 0.6 (sigma 1.2) two strokes one fax line
 * apart (the top and bottom of a squashed 0, 8 or 3) merged into one grey band and serif digits read
 * wrong (Noto Serif standard 60.5 → 75 %, UMing 79.5 → 87 % at 0.3 with a cubic stretch).
 */
const COARSE_STRETCH = 1.5;
const BLUR_PER_STRETCH = 0.3;

/**
 * An image whose pixels are not square (fax "standard" 204×98 and "fine" 204×196 lines, shown at
 * their true size by the PDF page) resampled to square pixels at the finer of the two resolutions,
 * so every later stage can treat one dpi as both axes. Interpolated (cubic from coarse lines, so a
 * one-line stroke keeps a dark core): the doubled fax lines come out with grey edges rather than
 * stair steps.
 */
export async function toSquarePixels(
  img: GrayImage,
  xDpi: number,
  yDpi: number,
): Promise<GrayImage & { dpi: number; lineDpi?: number; faxLines?: boolean }> {
  const dpi = Math.max(xDpi, yDpi);
  if (Math.abs(xDpi - yDpi) <= SQUARE_TOLERANCE * dpi) return { ...img, dpi: (xDpi + yDpi) / 2 };
  const stretch = dpi / Math.min(xDpi, yDpi);
  const width = Math.max(1, Math.round((img.width * dpi) / xDpi));
  const height = Math.max(1, Math.round((img.height * dpi) / yDpi));
  const coarse = stretch >= COARSE_STRETCH;
  const resized = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).resize(
    width,
    height,
    // Fine mode stays linear: cubic there cost 淮安市 and 洪泽区 2024's fine faxes whole table rows.
    { fit: 'fill', kernel: coarse ? 'cubic' : 'linear' },
  );
  const data = await (coarse ? resized.blur(BLUR_PER_STRETCH * stretch) : resized)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return {
    width,
    height,
    data: new Uint8Array(data.buffer, data.byteOffset, width * height),
    dpi,
    faxLines: true,
    ...(coarse ? { lineDpi: Math.min(xDpi, yDpi) } : {}),
  };
}
