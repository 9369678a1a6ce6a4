import type { Problem, SourceKind } from '../model/index.js';
import type { Limits } from './limits.js';

/** Producers may prepend junk (a BOM, mail headers) before `%PDF-`; readers accept it within the first KiB. */
const PDF_HEADER_WINDOW = 1024;

export interface SniffedSource {
  readonly kind: SourceKind;
  readonly mime: string;
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

interface Signature {
  readonly kind: SourceKind;
  readonly mime: string;
  readonly magic: readonly number[];
}

const IMAGE_SIGNATURES: readonly Signature[] = [
  { kind: 'jpeg', mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { kind: 'png', mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'tiff', mime: 'image/tiff', magic: [0x49, 0x49, 0x2a, 0x00] }, // little-endian "II*\0"
  { kind: 'tiff', mime: 'image/tiff', magic: [0x4d, 0x4d, 0x00, 0x2a] }, // big-endian "MM\0*"
];

function startsWithAt(bytes: Uint8Array, magic: readonly number[], at: number): boolean {
  if (at + magic.length > bytes.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

function findPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - PDF_MAGIC.length, PDF_HEADER_WINDOW);
  for (let at = 0; at <= end; at++) {
    if (bytes[at] === 0x25 && startsWithAt(bytes, PDF_MAGIC, at)) return true;
  }
  return false;
}

/** Decides the source type from the bytes alone (never from a file name). */
export function sniff(bytes: Uint8Array, limits: Limits): SniffedSource | Problem {
  if (bytes.length === 0) return { code: 'EMPTY', message: 'the input has zero bytes', stage: 'intake' };
  if (bytes.length > limits.maxBytes) {
    return {
      code: 'TOO_LARGE',
      message: `the input has ${bytes.length} bytes, more than the limit of ${limits.maxBytes}`,
      stage: 'intake',
    };
  }
  for (const sig of IMAGE_SIGNATURES) {
    if (startsWithAt(bytes, sig.magic, 0)) return { kind: sig.kind, mime: sig.mime };
  }
  if (findPdfHeader(bytes)) return { kind: 'pdf', mime: 'application/pdf' };
  return {
    code: 'UNSUPPORTED_TYPE',
    message: 'the input is neither a PDF nor a JPEG, PNG or TIFF image',
    stage: 'intake',
  };
}
