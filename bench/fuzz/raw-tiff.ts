import { deflateSync } from 'node:zlib';

/**
 * A little-endian TIFF of `pages` 8-bit gray pages, each `width` × `height` at `dpi`, all pointing at
 * one deflated strip (so a 200-page A4 scan is a few hundred KB on disk and 1.7 GB decoded).
 * `loop` makes the last IFD point back at the first (an IFD loop). Hand-written: the traps need
 * structures an encoder will not write.
 */
export function writeRawTiff(opts: {
  readonly pages: number;
  readonly width: number;
  readonly height: number;
  readonly dpi?: number;
  readonly pixels?: Uint8Array;
  readonly loop?: boolean;
}): Uint8Array {
  const { pages, width, height } = opts;
  const strip = deflateSync(opts.pixels ?? Buffer.alloc(width * height, 255));
  const ENTRIES = 11;
  const ifdSize = 2 + ENTRIES * 12 + 4;
  const header = 8;
  const stripAt = header;
  const rationalAt = stripAt + strip.length + (strip.length % 2);
  const firstIfd = rationalAt + 8;
  const buf = Buffer.alloc(firstIfd + pages * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(firstIfd, 4);
  Buffer.from(strip).copy(buf, stripAt);
  buf.writeUInt32LE(opts.dpi ?? 300, rationalAt);
  buf.writeUInt32LE(1, rationalAt + 4);
  for (let p = 0; p < pages; p++) {
    const at = firstIfd + p * ifdSize;
    buf.writeUInt16LE(ENTRIES, at);
    const entries: [number, number, number, number][] = [
      [256, 4, 1, width], // ImageWidth
      [257, 4, 1, height], // ImageLength
      [258, 3, 1, 8], // BitsPerSample
      [259, 3, 1, 8], // Compression: deflate
      [262, 3, 1, 1], // Photometric: BlackIsZero
      [273, 4, 1, stripAt], // StripOffsets
      [277, 3, 1, 1], // SamplesPerPixel
      [278, 4, 1, height], // RowsPerStrip
      [279, 4, 1, strip.length], // StripByteCounts
      [282, 5, 1, rationalAt], // XResolution
      [283, 5, 1, rationalAt], // YResolution
    ];
    entries.forEach(([tag, type, count, value], i) => {
      const e = at + 2 + i * 12;
      buf.writeUInt16LE(tag, e);
      buf.writeUInt16LE(type, e + 2);
      buf.writeUInt32LE(count, e + 4);
      if (type === 3) buf.writeUInt16LE(value, e + 8);
      else buf.writeUInt32LE(value, e + 8);
    });
    const next = p + 1 < pages ? at + ifdSize : opts.loop ? firstIfd : 0;
    buf.writeUInt32LE(next, at + 2 + ENTRIES * 12);
  }
  return new Uint8Array(buf);
}
