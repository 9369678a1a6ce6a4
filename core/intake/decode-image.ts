import sharp from 'sharp';
import type { Problem } from '../model/index.js';
import { darkestChannel, type ColourRaster } from '../raster/line-channel.js';
import { toGray, type Raster } from '../raster/raster.js';

/** Resolution assumed when an image carries none (the usual scanner setting for documents). */
export const DEFAULT_IMAGE_DPI = 300;
/** Densities below this are placeholders (72/96 dpi written by photo apps), not scan resolutions. */
const MIN_PLAUSIBLE_DPI = 100;
/** Refuse images above this many pixels per page (≈ A3 at 600 dpi) before decoding them. */
export const MAX_IMAGE_PIXELS = 12_000 * 12_000;

export type DecodedImage =
  | { readonly status: 'ok'; readonly pages: readonly Raster[] }
  | { readonly status: 'failed'; readonly problem: Problem };

/**
 * JPEG, PNG or TIFF bytes → one grayscale raster per page (a multi-page TIFF gives several), each
 * with its dpi from the file's metadata or DEFAULT_IMAGE_DPI. EXIF orientation is applied, alpha is
 * flattened onto white, and colour becomes its red channel so red stamps fade.
 * Never throws: undecodable bytes come back as a CORRUPT problem.
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const opened = await openImage(bytes);
  if (opened.status === 'failed') return opened;
  const pages: Raster[] = [];
  for (let page = 0; page < opened.pageCount; page++) {
    try {
      pages.push(await decodePage(bytes, page, opened.density));
    } catch (err) {
      return failed('CORRUPT', `image page ${page + 1} undecodable: ${messageOf(err)}`, page + 1);
    }
  }
  return { status: 'ok', pages };
}

export type OpenedImage =
  | { readonly status: 'ok'; readonly pageCount: number; readonly density: number | undefined }
  | { readonly status: 'failed'; readonly problem: Problem };

/**
 * The header only: type, page count (a multi-page TIFF) and density, so pages can be decoded one at
 * a time, only those of a page range, and dropped after use (a 200-page TIFF never sits decoded in memory).
 */
export async function openImage(bytes: Uint8Array): Promise<OpenedImage> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    if (meta.format !== 'jpeg' && meta.format !== 'png' && meta.format !== 'tiff') {
      return failed('UNSUPPORTED_TYPE', `image format ${meta.format ?? 'unknown'} is not JPEG, PNG or TIFF`);
    }
    const pageCount = meta.format === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
    return { status: 'ok', pageCount, density: meta.density };
  } catch (err) {
    return failed('CORRUPT', `image header unreadable: ${messageOf(err)}`);
  }
}

/** Page `page` (0-based) of an opened image; throws when that page cannot be decoded. */
export async function decodePage(
  bytes: Uint8Array,
  page: number,
  fileDensity: number | undefined,
): Promise<ColourRaster> {
  const img = sharp(bytes, { page, limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' });
  const meta = await img.metadata();
  const { data, info } = await img
    .rotate() // EXIF orientation (phone photos)
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const gray = toGray(pixels, info.width, info.height, info.channels);
  // Kept beside the gray page for finding coloured ruling lines (see line-channel.ts).
  const darkest = darkestChannel(pixels, info.width, info.height, info.channels);
  return {
    width: info.width,
    height: info.height,
    data: gray,
    dpi: plausibleDpi(meta.density ?? fileDensity),
    ...(darkest ? { darkest } : {}),
  };
}

function plausibleDpi(density: number | undefined): number {
  return density !== undefined && density >= MIN_PLAUSIBLE_DPI ? Math.round(density) : DEFAULT_IMAGE_DPI;
}

function failed(code: Problem['code'], message: string, page?: number): { status: 'failed'; problem: Problem } {
  const problem: Problem =
    page === undefined ? { code, message, stage: 'intake' } : { code, message, stage: 'intake', page };
  return { status: 'failed', problem };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
