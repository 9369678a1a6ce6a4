import sharp from 'sharp';
import type { Problem } from '../model/index.js';
import {
  decodedStreamBytes,
  filterNames,
  indexPdfObjects,
  isDict,
  isName,
  isRef,
  readPdfObject,
  resolvePdfValue,
  streamBytes,
  type PdfDict,
  type PdfObjectIndex,
  type PdfRef,
  type PdfValue,
} from '../raster/read-pdf-objects.js';
import { decodeBilevelImage, isBilevelImage } from '../raster/decode-bilevel-image.js';
import { rotateRightAngle, toGray, type Raster } from '../raster/raster.js';
import { toSquarePixels } from '../raster/square-pixels.js';
import { despeckleBilevel } from '../raster/despeckle-bilevel.js';
import { renderPage, OCR_RENDER_DPI, type RenderablePage } from './render-page.js';

/** The image must cover this share of the page to stand for the whole page (img2pdf may leave thin margins when aspect ratios differ). */
const MIN_PAGE_COVERAGE = 0.9;
/** Below this resolution the embedded image is too coarse for OCR and rendering cannot help either; kept as is. */
export const MIN_EMBEDDED_DPI = 100;
/**
 * Embedded images below their floor are not read at their own resolution. Colour images (phone
 * photos, colour scans with a seal) below 300 dpi are left to pdf.js at 300 dpi (null here): the
 * photo path (perspective, shading, curl) was built on such renders, and 淮安市 2024's photo read 100 %
 * that way, 97 % at its own 200 dpi and 98.5 % upsampled to 300 with sharp (表二 rows lost).
 * Grey images below 200 dpi are upsampled (sharp, linear) to READ_DPI: 淮安市 2024 scanned at 150
 * dpi (own seed) read 99.5 % with 0 right cells flagged at 300 dpi, 98 % with 39 at 150. Grey scans
 * from 200 dpi and 1-bit images keep their own resolution, as the dev scans always have
 * (docs/scan-matrix.md, held150).
 */
const READ_DPI = 300;
const MIN_COLOUR_DPI = 300;
const MIN_GREY_DPI = 200;

/** What page-image needs from a pdf.js page (PDFPageProxy satisfies it). */
export interface ImagePage extends RenderablePage {
  readonly ref: PdfRef | null;
  readonly view: readonly number[];
  readonly rotate: number;
}

export type PageRaster =
  | { readonly status: 'ok'; readonly raster: Raster; readonly source: 'embedded' | 'rendered' }
  | { readonly status: 'failed'; readonly problem: Problem };

export { indexPdfObjects, type PdfObjectIndex };

/**
 * The pixels of a page that is one image covering the page (an image-only scan), taken straight
 * from the embedded JPEG (via sharp), the Flate-compressed 8-bit pixels or a 1-bit image (CCITT,
 * Flate, stencil mask), upright after the page's /Rotate, resampled to square pixels, with dpi =
 * image pixels / page inches (page objects in object streams included). Null when the page is
 * anything else (text, several images, JBIG2/JPX data): render it instead.
 */
export async function readPageImage(index: PdfObjectIndex, page: ImagePage): Promise<Raster | null> {
  if (page.ref === null) return null;
  const pageDict = resolvePdfValue(index, page.ref);
  if (!isDict(pageDict)) return null;
  const placed = findSolePlacedImage(index, pageDict);
  if (placed === null) return null;
  const [vx0 = 0, vy0 = 0, vx1 = 0, vy1 = 0] = page.view;
  const pageW = vx1 - vx0;
  const pageH = vy1 - vy0;
  const { a, d, e, f } = placed.ctm;
  const ix0 = Math.max(e, vx0);
  const iy0 = Math.max(f, vy0);
  const ix1 = Math.min(e + a, vx1);
  const iy1 = Math.min(f + d, vy1);
  if (ix1 <= ix0 || iy1 <= iy0 || ((ix1 - ix0) * (iy1 - iy0)) / (pageW * pageH) < MIN_PAGE_COVERAGE) return null;
  const decoded = await decodeImageXObject(index, placed.image);
  if (decoded === null) return null;
  // Fax pages have non-square pixels (204×98, 204×196 dpi): resample so one dpi holds for both axes.
  const square = await toSquarePixels(decoded, (decoded.width / a) * 72, (decoded.height / d) * 72);
  if (decoded.kind === 'colour' && square.dpi < MIN_COLOUR_DPI) return null;
  // 1-bit images (fax, CCITT) keep theirs: their path is built on their own lines (square-pixels.ts).
  const pixels = decoded.kind === 'grey' && square.dpi < MIN_GREY_DPI ? await upsample(square, READ_DPI) : square;
  const dpi = Math.round(pixels.dpi);
  if (dpi < MIN_EMBEDDED_DPI) return null;
  // Pad to the whole page so pixel → point conversion (pt = px · 72 / dpi) needs no offset.
  const place = (img: { width: number; height: number; data: Uint8Array }): Raster =>
    rotateRightAngle(
      placeOnPage(img, dpi, { left: e - vx0, top: vy1 - (f + d), pageW, pageH }),
      normaliseRotate(page.rotate),
    );
  return {
    ...place(pixels),
    ...(square.digits && pixels === square ? { digits: place(square.digits) } : {}),
    ...(square.lineDpi === undefined ? {} : { lineDpi: square.lineDpi }),
    ...(square.faxLines ? { faxLines: true } : {}),
  };
}

async function upsample(
  img: { width: number; height: number; data: Uint8Array; dpi: number },
  dpi: number,
): Promise<{ width: number; height: number; data: Uint8Array; dpi: number }> {
  const k = dpi / img.dpi;
  const width = Math.round(img.width * k);
  const height = Math.round(img.height * k);
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, width * height), dpi: img.dpi * k };
}

function placeOnPage(
  img: { width: number; height: number; data: Uint8Array },
  dpi: number,
  at: { left: number; top: number; pageW: number; pageH: number },
): Raster {
  const width = Math.round((at.pageW * dpi) / 72);
  const height = Math.round((at.pageH * dpi) / 72);
  const left = Math.round((at.left * dpi) / 72);
  const top = Math.round((at.top * dpi) / 72);
  if (left === 0 && top === 0 && Math.abs(width - img.width) <= 1 && Math.abs(height - img.height) <= 1) {
    return { width: img.width, height: img.height, data: img.data, dpi };
  }
  const out = new Uint8Array(width * height).fill(255);
  for (let y = Math.max(0, -top); y < img.height && y + top < height; y++) {
    const x0 = Math.max(0, -left);
    const x1 = Math.min(img.width, width - left);
    if (x1 > x0) out.set(img.data.subarray(y * img.width + x0, y * img.width + x1), (y + top) * width + left + x0);
  }
  return { width, height, data: out, dpi };
}

/**
 * The page as pixels for OCR: the embedded image when the page is one image, otherwise a render at
 * `dpi`. Failures are values (PAGE_FAILED), never throws.
 */
export async function loadPageRaster(
  index: PdfObjectIndex,
  page: ImagePage,
  pageNumber: number,
  dpi: number = OCR_RENDER_DPI,
): Promise<PageRaster> {
  try {
    const embedded = await readPageImage(index, page);
    if (embedded !== null) return { status: 'ok', raster: embedded, source: 'embedded' };
  } catch {
    // A damaged embedded image is retried through pdf.js rendering below.
  }
  const rendered = await renderPage(page, dpi, pageNumber);
  return rendered.status === 'ok' ? { status: 'ok', raster: rendered.raster, source: 'rendered' } : rendered;
}

function normaliseRotate(rotate: number): 0 | 90 | 180 | 270 {
  const r = (((Math.round(rotate / 90) * 90) % 360) + 360) % 360;
  return r === 90 || r === 180 || r === 270 ? r : 0;
}

interface Ctm {
  readonly a: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

/** The single image XObject the content stream paints, with its upright placement; null otherwise. */
function findSolePlacedImage(index: PdfObjectIndex, pageDict: PdfDict): { image: PdfDict; ctm: Ctm } | null {
  const resources = resolvePdfValue(index, pageDict.dict.get('Resources'));
  if (!isDict(resources)) return null;
  const xobjects = resolvePdfValue(index, resources.dict.get('XObject'));
  if (!isDict(xobjects)) return null;
  const content = readContent(index, pageDict.dict.get('Contents'));
  if (content === null || /\bBT\b|\bBI\b|[()]/.test(content)) return null;
  const tokens = content.split(/[\s]+|(?=\/)/).filter((t) => t !== '');
  const stack: number[][] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  let found: { name: string; ctm: number[] } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'q') stack.push(ctm);
    else if (t === 'Q') ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (t === 'cm') ctm = multiply(tokens.slice(i - 6, i).map(Number), ctm);
    else if (t === 'Do') {
      if (found !== null) return null;
      found = { name: (tokens[i - 1] ?? '').replace(/^\//, ''), ctm };
    }
  }
  if (found === null) return null;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = found.ctm;
  // Only upright, unflipped placement: anything else is left to the renderer.
  if (!(a > 0 && d > 0 && Math.abs(b) < 1e-6 && Math.abs(c) < 1e-6)) return null;
  const image = resolvePdfValue(index, xobjects.dict.get(found.name));
  if (!isDict(image) || nameOf(image.dict.get('Subtype')) !== 'Image') return null;
  return { image, ctm: { a, d, e, f } };
}

function readContent(index: PdfObjectIndex, contents: PdfValue | undefined): string | null {
  const parts = Array.isArray(contents) ? (contents as readonly PdfValue[]) : [contents];
  let text = '';
  for (const part of parts) {
    if (!isRef(part)) return null;
    const stream = readPdfObject(index, part);
    if (!isDict(stream)) return null;
    const bytes = decodedStreamBytes(index, stream);
    if (bytes === undefined) return null;
    text += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1') + '\n';
  }
  return text;
}

async function decodeImageXObject(
  index: PdfObjectIndex,
  image: PdfDict,
): Promise<{ width: number; height: number; data: Uint8Array; kind: 'bilevel' | 'grey' | 'colour' } | null> {
  const get = (key: string): PdfValue | undefined => resolvePdfValue(index, image.dict.get(key));
  // 1-bit scans and stencil masks (CCITT G3/G4, 1-bit Flate): fax machines and document scanners write these.
  if (isBilevelImage(index, image)) {
    const bits = await decodeBilevelImage(index, image);
    return bits && { ...despeckleBilevel(bits), kind: 'bilevel' };
  }
  const width = get('Width');
  const height = get('Height');
  if (
    typeof width !== 'number' ||
    typeof height !== 'number' ||
    get('ImageMask') === true ||
    get('Decode') !== undefined
  )
    return null;
  const filters = filterNames(index, image);
  if (filters.length === 1 && filters[0] === 'DCTDecode') {
    const jpeg = streamBytes(index, image);
    if (jpeg === undefined) return null;
    // sharp hands a grey JPEG back as three equal channels: its own header says it is grey, and the
    // first channel alone is the page (no three-channel buffer, no pass through toGray).
    const stored = (await sharp(jpeg).metadata()).channels ?? 1;
    const decoder = sharp(jpeg, { failOn: 'error' });
    const { data, info } = await (stored === 1 ? decoder.extractChannel(0) : decoder)
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height) return null;
    return {
      width,
      height,
      data: toGray(new Uint8Array(data.buffer, data.byteOffset, data.length), width, height, info.channels),
      // The image's own colour space says what it is.
      kind: (colourChannels(index, get('ColorSpace')) ?? stored) >= 3 ? 'colour' : 'grey',
    };
  }
  const channels = colourChannels(index, get('ColorSpace'));
  if (get('BitsPerComponent') !== 8 || channels === null) return null;
  const raw = decodedStreamBytes(index, image);
  if (raw === undefined || raw.length < width * height * channels) return null;
  return { width, height, data: toGray(raw, width, height, channels), kind: channels === 3 ? 'colour' : 'grey' };
}

function colourChannels(index: PdfObjectIndex, cs: PdfValue | undefined): number | null {
  const name = nameOf(cs);
  if (name === 'DeviceGray') return 1;
  if (name === 'DeviceRGB') return 3;
  if (Array.isArray(cs) && nameOf(cs[0]) === 'ICCBased') {
    const profile = resolvePdfValue(index, cs[1]);
    const n = isDict(profile) ? profile.dict.get('N') : undefined;
    return n === 1 || n === 3 ? n : null;
  }
  return null;
}

function nameOf(v: PdfValue | undefined): string | undefined {
  return isName(v) ? v.name : undefined;
}

/** m × n for PDF matrices [a b c d e f] (row-vector convention: `cm` pre-multiplies the CTM). */
function multiply(m: number[], n: number[]): number[] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  const [A = 1, B = 0, C = 0, D = 1, E = 0, F = 0] = n;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}
