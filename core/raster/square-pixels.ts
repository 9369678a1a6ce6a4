import sharp from 'sharp';
import type { GrayImage } from './decode-bilevel-image.js';

/** Resolutions closer than this (relative) count as square: page sizes are rounded to points. */
const SQUARE_TOLERANCE = 0.015;
/**
 * A coarse axis stretched this much or more (fax standard mode, 98 lines an inch shown at 204) is
 * smoothed after the stretch, by this Gaussian sigma per unit of stretch (pixels): each doubled 1-bit
 * line is a stair the recogniser reads as two strokes, and thin strokes the fax kept as one line
 * read better as grey than as a hard bar. Measured on the prose of standard-mode dev faxes (the
 * title read whole at 1.2, not at 0).
 */
const COARSE_STRETCH = 1.5;
const BLUR_PER_STRETCH = 0.6;
/**
 * The copy number cells are read from (Raster.digits): cubic stretch and half the blur keep two
 * strokes one fax line apart apart, so serif digits read better (docs/scan-matrix.md, faxglyph:
 * Noto Serif standard 60.5 → 75 %), while rules and labels broke on it: they stay on the smooth copy.
 */
const DIGIT_BLUR_PER_STRETCH = 0.3;

/**
 * An image whose pixels are not square (fax "standard" 204×98 and "fine" 204×196 lines, shown at
 * their true size by the PDF page) resampled to square pixels at the finer of the two resolutions,
 * so every later stage can treat one dpi as both axes. Linear interpolation: the doubled fax lines
 * come out with grey edges rather than stair steps.
 */
export async function toSquarePixels(
  img: GrayImage,
  xDpi: number,
  yDpi: number,
): Promise<GrayImage & { dpi: number; lineDpi?: number; faxLines?: boolean; digits?: GrayImage }> {
  const dpi = Math.max(xDpi, yDpi);
  if (Math.abs(xDpi - yDpi) <= SQUARE_TOLERANCE * dpi) return { ...img, dpi: (xDpi + yDpi) / 2 };
  const stretch = dpi / Math.min(xDpi, yDpi);
  const width = Math.max(1, Math.round((img.width * dpi) / xDpi));
  const height = Math.max(1, Math.round((img.height * dpi) / yDpi));
  const resample = async (kernel: 'linear' | 'cubic', sigma: number | null): Promise<GrayImage> => {
    const resized = sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } }).resize(
      width,
      height,
      { fit: 'fill', kernel },
    );
    const data = await (sigma === null ? resized : resized.blur(sigma)).toColourspace('b-w').raw().toBuffer();
    return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, width * height) };
  };
  if (stretch < COARSE_STRETCH) return { ...(await resample('linear', null)), dpi, faxLines: true };
  const [smooth, digits] = await Promise.all([
    resample('linear', BLUR_PER_STRETCH * stretch),
    resample('cubic', DIGIT_BLUR_PER_STRETCH * stretch),
  ]);
  return { ...smooth, dpi, faxLines: true, lineDpi: Math.min(xDpi, yDpi), digits };
}
