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
