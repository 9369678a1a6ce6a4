/**
 * Fax-like pages and the PDFs fax machines and document scanners write around them: 1-bit pels at
 * fax resolutions in CCITT G4, 1-bit Flate or /ImageMask image XObjects (bench/make-fax-scans.ts and
 * the fax tests build on it).
 */
import { createCanvas } from '@napi-rs/canvas';
import { deflateSync } from 'node:zlib';
import {
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFDict,
  PDFRawStream,
  pushGraphicsState,
  popGraphicsState,
  concatTransformationMatrix,
  drawObject,
  setFillingGrayscaleColor,
} from 'pdf-lib';
import sharp from 'sharp';

/** A fax line is 1728 pels at 204 dpi (215 mm). */
export const FAX_WIDTH = 1728;
export const FAX_XDPI = 204;

export type Encoding = 'g4' | 'g4-decode' | 'flate' | 'flate-png' | 'mask-g4' | 'mask-flate';
export const ENCODINGS: readonly Encoding[] = ['g4', 'flate', 'mask-g4', 'g4-decode', 'flate-png', 'mask-flate'];

/** Deterministic noise per document and page (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

export interface FaxPage {
  /** 1 = white, 0 = black, one byte per pel. */
  readonly bits: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly ydpi: number;
}

/** Gray page at 204 dpi square → fax pels: skew, stretch, header, vertical resample, threshold, noise. */
export async function faxify(
  gray: Buffer,
  width: number,
  height: number,
  opts: { ydpi: number; seed: number; header: string; streak: boolean },
): Promise<FaxPage> {
  const rand = rng(opts.seed);
  const angle = (rand() < 0.5 ? -1 : 1) * (0.3 + rand() * 1.0);
  const stretchY = 1 + rand() * 0.025;
  const stretchX = 0.99 + rand() * 0.015;
  const rotated = await sharp(gray, { raw: { width, height, channels: 1 } })
    .rotate(angle, { background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = Math.min(FAX_WIDTH, Math.round(rotated.info.width * stretchX));
  const lines = Math.round(rotated.info.height * stretchY * (opts.ydpi / FAX_XDPI));
  const squeezed = await sharp(rotated.data, {
    raw: { width: rotated.info.width, height: rotated.info.height, channels: 1 },
  })
    .resize(w, lines, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const page = new Uint8Array(FAX_WIDTH * lines).fill(255);
  const left = (FAX_WIDTH - w) >> 1;
  for (let y = 0; y < lines; y++) page.set(squeezed.subarray(y * w, y * w + w), y * FAX_WIDTH + left);
  // The header line a sending fax machine prints across the top of every page, in its own pels.
  const hh = Math.round((opts.ydpi / FAX_XDPI) * 34);
  const canvas = createCanvas(FAX_WIDTH, 34);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, FAX_WIDTH, 34);
  ctx.fillStyle = '#000000';
  ctx.font = '22px "Noto Sans CJK SC", sans-serif';
  ctx.fillText(opts.header, 40, 26);
  const header = await sharp(Buffer.from(ctx.getImageData(0, 0, FAX_WIDTH, 34).data), {
    raw: { width: FAX_WIDTH, height: 34, channels: 4 },
  })
    .extractChannel(0)
    .resize(FAX_WIDTH, hh, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const top = Math.round((opts.ydpi / FAX_XDPI) * 6);
  for (let y = 0; y < hh && y + top < lines; y++) {
    for (let x = 0; x < FAX_WIDTH; x++)
      page[(y + top) * FAX_WIDTH + x] = Math.min(page[(y + top) * FAX_WIDTH + x]!, header[y * FAX_WIDTH + x]!);
  }
  // A fixed threshold, as fax machines use: no greys survive.
  const threshold = 115 + Math.round(rand() * 30);
  const bits = new Uint8Array(FAX_WIDTH * lines);
  for (let i = 0; i < bits.length; i++) bits[i] = page[i]! < threshold ? 0 : 1;
  // Pepper (isolated dots and 2×2 clumps) on paper, salt (dropouts) inside strokes.
  const pepper = Math.round(bits.length * (0.0006 + rand() * 0.0008));
  for (let n = 0; n < pepper; n++) {
    const i = Math.floor(rand() * bits.length);
    bits[i] = 0;
    if (rand() < 0.25 && i + FAX_WIDTH + 1 < bits.length)
      bits[i + 1] = bits[i + FAX_WIDTH] = bits[i + FAX_WIDTH + 1] = 0;
  }
  const salt = 0.01 + rand() * 0.02;
  for (let i = 0; i < bits.length; i++) if (bits[i] === 0 && rand() < salt) bits[i] = 1;
  // Dropped scanlines (white) and a few short black line glitches.
  const dropped = 3 + Math.floor(rand() * 6);
  for (let n = 0; n < dropped; n++) {
    const y = Math.floor(rand() * lines);
    bits.fill(1, y * FAX_WIDTH, (y + 1) * FAX_WIDTH);
  }
  for (let n = 0; n < 2; n++) {
    const y = Math.floor(rand() * lines);
    const x = Math.floor(rand() * FAX_WIDTH * 0.8);
    bits.fill(0, y * FAX_WIDTH + x, y * FAX_WIDTH + x + 20 + Math.floor(rand() * 120));
  }
  if (opts.streak) {
    // A dirty sensor element: a thin vertical streak down the page with gaps.
    const x = 100 + Math.floor(rand() * (FAX_WIDTH - 200));
    for (let y = 0; y < lines; y++) if (rand() < 0.85) bits[y * FAX_WIDTH + x] = 0;
  }
  return { bits, width: FAX_WIDTH, height: lines, ydpi: opts.ydpi };
}

/** CCITT G4 via libtiff (sharp), written as one strip; returns the raw strip. TIFF is MinIsBlack, so codec "white" = black. */
async function encodeG4(page: FaxPage): Promise<Uint8Array> {
  const gray = new Uint8Array(page.bits.length);
  for (let i = 0; i < gray.length; i++) gray[i] = page.bits[i] ? 255 : 0;
  const tiff = await sharp(gray, { raw: { width: page.width, height: page.height, channels: 1 } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, tileHeight: page.height + 16, tileWidth: page.width })
    .toBuffer();
  const dv = new DataView(tiff.buffer, tiff.byteOffset, tiff.length);
  const le = tiff[0] === 0x49;
  const ifd = dv.getUint32(4, le);
  const tags = new Map<number, number>();
  for (let i = 0, n = dv.getUint16(ifd, le); i < n; i++) {
    const e = ifd + 2 + i * 12;
    const type = dv.getUint16(e + 2, le);
    tags.set(dv.getUint16(e, le), type === 3 ? dv.getUint16(e + 8, le) : dv.getUint32(e + 8, le));
  }
  if (tags.get(259) !== 4 || tags.get(262) !== 1 || (tags.get(278) ?? 0) < page.height)
    throw new Error('unexpected TIFF layout from sharp');
  const at = tags.get(273)!;
  return new Uint8Array(tiff.subarray(at, at + tags.get(279)!));
}

/** Packs pels MSB first, rows padded to bytes; `one` is the pel value written as bit 1. */
function pack(page: FaxPage, one: 0 | 1): Uint8Array {
  const stride = Math.ceil(page.width / 8);
  const out = new Uint8Array(stride * page.height);
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++)
      if (page.bits[y * page.width + x] === one) out[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return out;
}

/** PNG "Up" predictor on every row (filter byte 2), as /Predictor 15 streams carry. */
function pngUp(packed: Uint8Array, stride: number, rows: number): Uint8Array {
  const out = new Uint8Array((stride + 1) * rows);
  for (let y = 0; y < rows; y++) {
    out[y * (stride + 1)] = 2;
    for (let x = 0; x < stride; x++)
      out[y * (stride + 1) + 1 + x] = (packed[y * stride + x]! - (y > 0 ? packed[(y - 1) * stride + x]! : 0)) & 0xff;
  }
  return out;
}

export async function addFaxPage(pdf: PDFDocument, page: FaxPage, encoding: Encoding): Promise<void> {
  const ctx = pdf.context;
  const entries: Record<string, unknown> = {
    Type: 'XObject',
    Subtype: 'Image',
    Width: page.width,
    Height: page.height,
    BitsPerComponent: 1,
  };
  let data: Uint8Array;
  const mask = encoding.startsWith('mask');
  if (mask) entries.ImageMask = true;
  else entries.ColorSpace = 'DeviceGray';
  if (encoding === 'g4' || encoding === 'g4-decode' || encoding === 'mask-g4') {
    data = await encodeG4(page);
    entries.Filter = 'CCITTFaxDecode';
    // The strip codes black pels as codec "white": BlackIs1 (or /Decode [1 0]) turns them back.
    const parms: Record<string, unknown> = { K: -1, Columns: page.width, Rows: page.height };
    if (encoding === 'g4-decode') entries.Decode = [1, 0];
    else parms.BlackIs1 = true;
    entries.DecodeParms = parms;
  } else {
    // Flate: DeviceGray 1 = white; a stencil mask paints where the sample is 0.
    const packed = pack(page, 1);
    const stride = Math.ceil(page.width / 8);
    if (encoding === 'flate-png') {
      data = deflateSync(pngUp(packed, stride, page.height));
      entries.DecodeParms = { Predictor: 15, Colors: 1, BitsPerComponent: 1, Columns: page.width };
    } else data = deflateSync(packed);
    entries.Filter = 'FlateDecode';
  }
  const dict = ctx.obj(entries as never) as unknown as PDFDict;
  dict.set(PDFName.of('Length'), PDFNumber.of(data.length));
  const ref = ctx.register(PDFRawStream.of(dict, data));
  const wPt = (page.width / FAX_XDPI) * 72;
  const hPt = (page.height / page.ydpi) * 72;
  const p = pdf.addPage([wPt, hPt]);
  const name = p.node.newXObject('Im', ref);
  p.pushOperators(
    pushGraphicsState(),
    ...(mask ? [setFillingGrayscaleColor(0)] : []),
    concatTransformationMatrix(wPt, 0, 0, hPt, 0, 0),
    drawObject(name),
    popGraphicsState(),
  );
}
