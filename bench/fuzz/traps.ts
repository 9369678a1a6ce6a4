import { deflateSync } from 'node:zlib';
import { flateStream, onePagePdf, writeRawPdf, type RawObject } from './raw-pdf.js';

const HELVETICA = '<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>';

/** A content stream of `mb` MiB of path operators, deflated to a few hundred KB: pdf.js parses it for minutes. */
export function bombContent(mb: number): RawObject {
  const line = Buffer.from('0 0 m 100 100 l S\n', 'latin1');
  const n = Math.ceil((mb * 1024 * 1024) / line.length);
  const big = Buffer.alloc(n * line.length);
  for (let i = 0; i < n; i++) line.copy(big, i * line.length);
  return flateStream(big);
}

/** Lines of readable text, enough for a usable text layer. */
export function textContent(label: string): RawObject {
  const rows = Array.from(
    { length: 12 },
    (_, i) =>
      `BT /F1 12 Tf 72 ${760 - i * 20} Td (${label} line ${i + 1}: the quick brown fox jumps over the lazy dog) Tj ET`,
  );
  return flateStream(rows.join('\n'));
}

/** A PDF whose pages have the given contents (one stream each), all A4 with Helvetica. */
export function pagesPdf(contents: readonly RawObject[], mediaBoxes: readonly (string | undefined)[] = []): Uint8Array {
  const n = contents.length;
  const pageObj = (i: number): number => 3 + 2 * i;
  const objects: RawObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${contents.map((_, i) => `${pageObj(i)} 0 R`).join(' ')}] /Count ${n} >>`,
  ];
  contents.forEach((c, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBoxes[i] ?? '[0 0 595 842]'} /Contents ${pageObj(i) + 1} 0 R /Resources ${HELVETICA} >>`,
    );
    objects.push(c);
  });
  return writeRawPdf(objects);
}

/** A page 14,400,000 pt wide (1,000 times the specification's limit) with one line of text. */
export function hugeMediaBoxPdf(): Uint8Array {
  return onePagePdf({
    mediaBox: '[0 0 14400000 14400000]',
    contents: flateStream('BT /F1 12 Tf 100 100 Td (Hello) Tj ET 0 0 m 14000000 14000000 l S'),
    resources: HELVETICA,
  });
}

/** A page painting an image XObject that declares 30,000 × 30,000 pixels over a few bytes of data. */
export function hugeImagePdf(): Uint8Array {
  return onePagePdf({
    contents: flateStream('q 500 0 0 700 50 50 cm /Im1 Do Q'),
    resources: '<< /XObject << /Im1 5 0 R >> >>',
    extra: [
      flateStream(
        new Uint8Array(1024),
        '/Type /XObject /Subtype /Image /Width 30000 /Height 30000 /ColorSpace /DeviceGray /BitsPerComponent 8',
      ),
    ],
  });
}

/** A PNG whose header declares 30,000 × 30,000 pixels (an IHDR, a tiny IDAT, IEND). */
export function hugePng(): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([
      sig,
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(30_001))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A page tree whose Pages node lists itself as a kid. */
export function pageTreeLoopPdf(): Uint8Array {
  return writeRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ]);
}

/** A page tree declaring two billion pages. */
export function twoBillionPagesPdf(): Uint8Array {
  return writeRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ]);
}

/** A page whose resources nest arrays 50,000 deep (a recursive parser's stack). */
export function deepNestingPdf(): Uint8Array {
  const depth = 50_000;
  const font = '<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>';
  return onePagePdf({
    contents: textContent('nested'),
    resources: `<< /Font ${font} /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >>`,
  });
}

/** Things that are not documents, named .pdf. */
export function notDocuments(): Record<string, Uint8Array> {
  return {
    'text.pdf': new TextEncoder().encode('this is a plain text file pretending to be a PDF\n'),
    'html.pdf': new TextEncoder().encode('<!DOCTYPE html><html><body>404 Not Found</body></html>'),
    'zip.pdf': new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, ...new Array(40).fill(0)]),
    'empty.pdf': new Uint8Array(0),
    'header-only.pdf': new TextEncoder().encode('%PDF-1.7\n'),
  };
}
