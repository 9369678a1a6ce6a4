import type { GrayRaster } from './gray-raster.js';

/** One page of a multi-page TIFF: 8-bit gray pixels and their resolution. */
export interface TiffPage extends GrayRaster {
  readonly dpi: number;
}

/** Tags of a baseline gray TIFF page, in ascending order as the format requires. */
const TAGS = 11;
const IFD_BYTES = 2 + TAGS * 12 + 4;
/** The two RATIONAL resolution values (numerator, denominator) stored after each IFD. */
const RATIONALS = 16;

/**
 * Uncompressed 8-bit gray multi-page TIFF (little endian, one strip a page, resolution in dpi):
 * tesseract reads such a file from stdin page by page, so many crops are recognised by one process
 * with one traineddata load, each at its own resolution. Written by hand: the encoders at hand
 * (sharp/libvips) write multi-page TIFFs only of equal-sized pages, and padding every crop to the
 * largest would change what the recogniser sees.
 */
export function encodeTiff(pages: readonly TiffPage[]): Uint8Array {
  const size = 8 + pages.reduce((s, p) => s + IFD_BYTES + RATIONALS + p.width * p.height, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0], 0); // "II", 42: little endian TIFF
  let at = 8;
  view.setUint32(4, at, true);
  pages.forEach((p, i) => {
    const ifd = at;
    const rational = ifd + IFD_BYTES;
    const pixels = rational + RATIONALS;
    const next = pixels + p.width * p.height;
    view.setUint16(ifd, TAGS, true);
    const entries: [number, number, number][] = [
      // tag, type (3 SHORT, 4 LONG, 5 RATIONAL), value or offset
      [256, 4, p.width], // ImageWidth
      [257, 4, p.height], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // PhotometricInterpretation: BlackIsZero
      [273, 4, pixels], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 4, p.height], // RowsPerStrip
      [279, 4, p.width * p.height], // StripByteCounts
      [282, 5, rational], // XResolution
      [283, 5, rational + 8], // YResolution
    ];
    entries.forEach(([tag, type, value], k) => {
      const e = ifd + 2 + k * 12;
      view.setUint16(e, tag, true);
      view.setUint16(e + 2, type, true);
      view.setUint32(e + 4, 1, true);
      if (type === 3) view.setUint16(e + 8, value, true);
      else view.setUint32(e + 8, value, true);
    });
    view.setUint32(ifd + 2 + TAGS * 12, i === pages.length - 1 ? 0 : next, true);
    const dpi = Math.max(1, Math.round(p.dpi));
    for (const r of [rational, rational + 8]) {
      view.setUint32(r, dpi, true);
      view.setUint32(r + 4, 1, true);
    }
    out.set(p.data, pixels);
    at = next;
  });
  return out;
}
