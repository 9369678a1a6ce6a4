import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import {
  filterNames,
  isDict,
  isName,
  resolvePdfValue,
  streamBytes,
  type PdfDict,
  type PdfObjectIndex,
  type PdfValue,
} from './read-pdf-objects.js';

/**
 * 1-bit PDF images as fax machines and document scanners write them: CCITT G3/G4
 * (CCITTFaxDecode), 1-bit Flate (with or without PNG predictors) or uncompressed, as a DeviceGray
 * image or an /ImageMask stencil, with BlackIs1 and /Decode inversions honoured. Decoded to gray
 * (0 = ink, 255 = paper) without pdf.js: CCITT data is wrapped in a one-strip TIFF and handed to
 * libtiff through sharp (≈ 20 ms a fax page, against ≈ 300 ms to render the page).
 */

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** True when the image XObject is a 1-bit image or a stencil mask (what decodeBilevelImage reads). */
export function isBilevelImage(index: PdfObjectIndex, image: PdfDict): boolean {
  const get = (key: string): PdfValue | undefined => resolvePdfValue(index, image.dict.get(key));
  if (get('ImageMask') === true) return true;
  const bpc = get('BitsPerComponent');
  return (
    bpc === 1 || (bpc === undefined && filterNames(index, image).some((f) => f === 'CCITTFaxDecode' || f === 'CCF'))
  );
}

/**
 * Gray pixels of a 1-bit image or stencil mask; null for what is not handled here (colour or
 * indexed 1-bit images, JBIG2, byte-aligned G4, filter chains): the caller renders the page then.
 * A stencil's fill colour is taken to be dark ink: scanners paint their masks black.
 */
export async function decodeBilevelImage(index: PdfObjectIndex, image: PdfDict): Promise<GrayImage | null> {
  const get = (key: string): PdfValue | undefined => resolvePdfValue(index, image.dict.get(key));
  const width = get('Width');
  const height = get('Height');
  if (typeof width !== 'number' || typeof height !== 'number' || width < 1 || height < 1) return null;
  const mask = get('ImageMask') === true;
  if (!mask && !isGrayColourSpace(index, get('ColorSpace'))) return null;
  // Which sample value is ink: 0 by default (black in DeviceGray, painted in a stencil); 1 when /Decode is [1 0].
  const decode = get('Decode');
  let inkSample: 0 | 1 = 0;
  if (Array.isArray(decode)) {
    const [d0, d1] = decode as readonly PdfValue[];
    if (d0 === 1 && d1 === 0) inkSample = 1;
    else if (!(d0 === 0 && d1 === 1)) return null;
  } else if (decode !== undefined) return null;
  const filters = filterNames(index, image);
  const parms = decodeParms(index, get('DecodeParms'));
  const raw = streamBytes(index, image);
  if (raw === undefined || filters.length > 1) return null;
  const filter = filters[0];
  if (filter === 'CCITTFaxDecode' || filter === 'CCF') return decodeCcitt(raw, width, height, parms, inkSample);
  let packed: Uint8Array;
  if (filter === undefined) packed = raw;
  else if (filter === 'FlateDecode' || filter === 'Fl') {
    try {
      packed = new Uint8Array(inflateSync(raw));
    } catch {
      return null;
    }
    const predicted = undoPredictor(packed, parms, width);
    if (predicted === null) return null;
    packed = predicted;
  } else return null;
  return unpackBits(packed, width, height, inkSample);
}

function isGrayColourSpace(index: PdfObjectIndex, cs: PdfValue | undefined): boolean {
  if (isName(cs)) return cs.name === 'DeviceGray' || cs.name === 'G' || cs.name === 'CalGray';
  if (Array.isArray(cs)) {
    const [family, arg] = cs as readonly PdfValue[];
    if (isName(family) && family.name === 'CalGray') return true;
    if (isName(family) && family.name === 'ICCBased') {
      const profile = resolvePdfValue(index, arg);
      return isDict(profile) && resolvePdfValue(index, profile.dict.get('N')) === 1;
    }
  }
  return false;
}

function decodeParms(index: PdfObjectIndex, v: PdfValue | undefined): ReadonlyMap<string, PdfValue> {
  const one = Array.isArray(v) ? resolvePdfValue(index, (v as readonly PdfValue[])[0]) : v;
  if (!isDict(one)) return new Map();
  return new Map([...one.dict].map(([k, x]) => [k, resolvePdfValue(index, x) ?? null]));
}

/** PNG predictors (10–15, per-row filter byte) on 1-bit gray rows; null for TIFF predictor 2 or damage. */
function undoPredictor(data: Uint8Array, parms: ReadonlyMap<string, PdfValue>, width: number): Uint8Array | null {
  const predictor = parms.get('Predictor') ?? 1;
  if (predictor === 1) return data;
  if (typeof predictor !== 'number' || predictor < 10) return null;
  const columns = parms.get('Columns') ?? width;
  const colors = parms.get('Colors') ?? 1;
  const bpc = parms.get('BitsPerComponent') ?? 1;
  if (typeof columns !== 'number' || colors !== 1 || bpc !== 1) return null;
  const stride = Math.ceil(columns / 8);
  const rows = Math.floor(data.length / (stride + 1));
  const out = new Uint8Array(stride * rows);
  for (let y = 0; y < rows; y++) {
    const type = data[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const cur = data[src + x]!;
      // One byte per "pixel" at 1 bit: left is the previous byte.
      const left = x > 0 ? out[at + x - 1]! : 0;
      const up = y > 0 ? out[at - stride + x]! : 0;
      const upLeft = x > 0 && y > 0 ? out[at - stride + x - 1]! : 0;
      let v: number;
      if (type === 0) v = cur;
      else if (type === 1) v = cur + left;
      else if (type === 2) v = cur + up;
      else if (type === 3) v = cur + ((left + up) >> 1);
      else if (type === 4) v = cur + paeth(left, up, upLeft);
      else return null;
      out[at + x] = v & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function unpackBits(packed: Uint8Array, width: number, height: number, inkSample: 0 | 1): GrayImage | null {
  const stride = Math.ceil(width / 8);
  if (packed.length < stride * height) return null;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = (packed[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1;
      data[y * width + x] = bit === inkSample ? 0 : 255;
    }
  }
  return { width, height, data };
}

/**
 * CCITT data → libtiff (via sharp) in a minimal one-strip TIFF. The TIFF says MinIsWhite, so a
 * decoded 255 is the codec's "white" run; in the PDF that run's sample is 1 unless BlackIs1.
 */
async function decodeCcitt(
  raw: Uint8Array,
  width: number,
  height: number,
  parms: ReadonlyMap<string, PdfValue>,
  inkSample: 0 | 1,
): Promise<GrayImage | null> {
  const k = parms.get('K') ?? 0;
  const columns = parms.get('Columns') ?? 1728;
  const byteAlign = parms.get('EncodedByteAlign') === true;
  if (typeof k !== 'number' || columns !== width || (k < 0 && byteAlign)) return null;
  // Compression 4 = T.6 (G4); 3 = T.4 (G3) with T4Options bit 0 for 2-D coding, bit 2 for byte-aligned EOLs.
  const compression = k < 0 ? 4 : 3;
  const t4Options = (k > 0 ? 1 : 0) | (byteAlign ? 4 : 0);
  const tiff = wrapStrip(raw, width, height, compression, t4Options);
  let decoded: Buffer;
  try {
    // A fax stream that ends early is common: keep the rows libtiff could decode (the rest stays paper).
    decoded = await sharp(tiff, { failOn: 'none' }).toColourspace('b-w').raw().toBuffer();
  } catch {
    return null;
  }
  if (decoded.length !== width * height) return null;
  const codecWhiteSample = parms.get('BlackIs1') === true ? 0 : 1;
  const data = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length);
  if (codecWhiteSample === inkSample) for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
  return { width, height, data };
}

/** A little-endian TIFF holding one CCITT strip (MinIsWhite, 1 bit, RowsPerStrip = height). */
function wrapStrip(
  strip: Uint8Array,
  width: number,
  height: number,
  compression: 3 | 4,
  t4Options: number,
): Uint8Array {
  // [tag, type (3 SHORT, 4 LONG), value], sorted by tag as TIFF requires.
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 1],
    [259, 3, compression],
    [262, 3, 0],
    [273, 4, 0], // StripOffsets, filled below
    [277, 3, 1],
    [278, 4, height],
    [279, 4, strip.length],
    [compression === 4 ? 293 : 292, 4, compression === 4 ? 0 : t4Options],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataAt = 8 + ifdSize;
  const out = new Uint8Array(dataAt + strip.length);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0], 0);
  dv.setUint32(4, 8, true);
  dv.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const e = 10 + i * 12;
    dv.setUint16(e, tag, true);
    dv.setUint16(e + 2, type, true);
    dv.setUint32(e + 4, 1, true);
    if (type === 3) dv.setUint16(e + 8, value, true);
    else dv.setUint32(e + 8, tag === 273 ? dataAt : value, true);
  });
  dv.setUint32(10 + entries.length * 12, 0, true);
  out.set(strip, dataAt);
  return out;
}
