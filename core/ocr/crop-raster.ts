import type { GrayRaster, PixelBox } from './gray-raster.js';

/** Clamp a box to the raster and round it outwards to whole pixels. */
export function clampBox(raster: GrayRaster, box: PixelBox): PixelBox {
  const x0 = Math.max(0, Math.min(raster.width, Math.floor(box.x0)));
  const y0 = Math.max(0, Math.min(raster.height, Math.floor(box.y0)));
  const x1 = Math.max(x0, Math.min(raster.width, Math.ceil(box.x1)));
  const y1 = Math.max(y0, Math.min(raster.height, Math.ceil(box.y1)));
  return { x0, y0, x1, y1 };
}

/** Copy the pixels inside `box` (clamped to the raster) into a new raster. */
export function cropRaster(raster: GrayRaster, box: PixelBox): GrayRaster {
  const b = clampBox(raster, box);
  const width = b.x1 - b.x0;
  const height = b.y1 - b.y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (b.y0 + y) * raster.width + b.x0;
    data.set(raster.data.subarray(from, from + width), y * width);
  }
  return { width, height, data };
}

/** Nearest-neighbour-free box scaling (bilinear) by a factor; used to re-read small glyphs larger. */
export function scaleRaster(raster: GrayRaster, factor: number): GrayRaster {
  const width = Math.max(1, Math.round(raster.width * factor));
  const height = Math.max(1, Math.round(raster.height * factor));
  const data = new Uint8Array(width * height);
  const src = raster.data;
  const sw = raster.width;
  // The horizontal taps and weights are the same on every row: computed once per column.
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  const wxs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(sw - 1, (x + 0.5) / factor - 0.5);
    left[x] = Math.max(0, Math.floor(fx));
    right[x] = Math.min(sw - 1, left[x]! + 1);
    wxs[x] = Math.max(0, fx - left[x]!);
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(raster.height - 1, (y + 0.5) / factor - 0.5);
    const y0 = Math.max(0, Math.floor(fy));
    const y1 = Math.min(raster.height - 1, y0 + 1);
    const wy = Math.max(0, fy - y0);
    for (let x = 0; x < width; x++) {
      const x0 = left[x]!;
      const x1 = right[x]!;
      const wx = wxs[x]!;
      const top = (src[y0 * sw + x0] ?? 255) * (1 - wx) + (src[y0 * sw + x1] ?? 255) * wx;
      const bottom = (src[y1 * sw + x0] ?? 255) * (1 - wx) + (src[y1 * sw + x1] ?? 255) * wx;
      // + 0.5 truncated is Math.round for these non-negative levels, without its call (V8 does not inline it).
      data[y * width + x] = (top * (1 - wy) + bottom * wy + 0.5) | 0;
    }
  }
  return { width, height, data };
}

/** The raster on white paper `pad` pixels wider on every side: tesseract's line finder wants a quiet zone. */
export function padRaster(raster: GrayRaster, pad: number): GrayRaster {
  const width = raster.width + 2 * pad;
  const height = raster.height + 2 * pad;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < raster.height; y++)
    data.set(raster.data.subarray(y * raster.width, (y + 1) * raster.width), (y + pad) * width + pad);
  return { width, height, data };
}
