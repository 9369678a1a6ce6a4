import { deflateSync } from 'node:zlib';

/** One indirect object's body (without `n 0 obj` / `endobj`). */
export type RawObject = string | { readonly dict: string; readonly stream: Uint8Array };

/**
 * Writes a PDF from object bodies (object n is `objects[n - 1]`, the catalog is object 1) with a
 * correct xref table. Hand-written because the traps need structures a PDF library refuses to
 * write (page-tree loops, lying counts, absurd boxes); the mutator then lies about the rest.
 */
export function writeRawPdf(objects: readonly RawObject[]): Uint8Array {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const head = Buffer.from(`${i + 1} 0 obj\n`, 'latin1');
    const parts =
      typeof body === 'string'
        ? [head, Buffer.from(`${body}\nendobj\n`, 'latin1')]
        : [
            head,
            Buffer.from(`${body.dict.replace(/>>\s*$/, '')} /Length ${body.stream.length} >>\nstream\n`, 'latin1'),
            Buffer.from(body.stream),
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ];
    for (const p of parts) {
      chunks.push(p);
      offset += p.length;
    }
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`];
  for (const o of offsets) xref.push(`${String(o).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  chunks.push(Buffer.from(xref.join(''), 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

/** A Flate stream object of `content`. */
export function flateStream(content: Uint8Array | string, extra = ''): RawObject {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
  return { dict: `<< /Filter /FlateDecode ${extra} >>`, stream: deflateSync(bytes, { level: 9 }) };
}

/** A one-page document: catalog, pages, the page (MediaBox, contents, resources) and extra objects from 5 on. */
export function onePagePdf(opts: {
  readonly mediaBox?: string;
  readonly contents: RawObject;
  readonly resources?: string;
  readonly extra?: readonly RawObject[];
}): Uint8Array {
  return writeRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox ${opts.mediaBox ?? '[0 0 595 842]'} /Contents 4 0 R /Resources ${opts.resources ?? '<< >>'} >>`,
    opts.contents,
    ...(opts.extra ?? []),
  ]);
}
