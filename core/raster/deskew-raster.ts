import sharp from 'sharp';
import { applyLut } from './normalize-contrast.js';
import { sampleBilinear, toGray, type Raster } from './raster.js';

const IDENTITY = Uint8Array.from({ length: 256 }, (_, i) => i);

/**
 * Rotates the content by −skewDeg (undoing a clockwise skew of skewDeg) about the image centre with
 * bilinear interpolation, keeping the original width and height (uncovered corners become white).
 * Plain typed-array loop with incremental source coordinates: ≈ 10 operations per pixel. An optional
 * lookup table (contrast stretch, as contrastLut returns it: null for none) is applied on the way,
 * saving a pass over the page.
 */
export function deskewRaster(src: Raster, skewDeg: number, stretch: Uint8Array | null = null): Raster {
  if (skewDeg === 0) return applyLut(src, stretch);
  const lut = stretch ?? IDENTITY;
  const { width: w, height: h, data } = src;
  const out = new Uint8Array(w * h);
  const rad = (skewDeg * Math.PI) / 180;
  // Output pixel p maps back to source = centre + R(+skew) · (p − centre).
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const maxX = w - 1;
  const maxY = h - 1;
  const white = lut[255]!;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    let sx = cx - cx * cos - dy * sin;
    let sy = cy - cx * sin + dy * cos;
    const row = y * w;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      if (sx < 0 || sy < 0 || sx >= maxX || sy >= maxY) {
        out[row + x] = white;
        continue;
      }
      out[row + x] = lut[(sampleBilinear(data, w, sx, sy) + 0.5) | 0]!;
    }
  }
  return { width: w, height: h, data: out, dpi: src.dpi };
}

/** Shrinks a gray raster by an integer factor (box filter in sharp) for cheap page analysis. */
export async function shrinkRaster(src: Raster, factor: number): Promise<Raster> {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return src;
  const width = Math.max(1, Math.floor(src.width / f));
  const height = Math.max(1, Math.floor(src.height / f));
  const { data, info } = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 1 } })
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gray = toGray(
    new Uint8Array(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
    info.channels,
  );
  return { width: info.width, height: info.height, data: gray, dpi: src.dpi / f };
}
