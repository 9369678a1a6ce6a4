import {
  PDFDocument,
  PDFName,
  StandardFonts,
  TextRenderingMode,
  degrees,
  grayscale,
  setTextRenderingMode,
} from 'pdf-lib';

/** Fixture geometry uses the same convention as the model: points, top-left origin, y downwards. */
export interface LineSpec {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly width?: number;
}

export interface RectSpec {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Fill grey level 0 (black) … 1 (white). */
  readonly gray: number;
}

export interface TextSpec {
  readonly x: number;
  /** Baseline position. */
  readonly y: number;
  readonly text: string;
  readonly size?: number;
  /** Counter-clockwise rotation of the text run on the page. */
  readonly rotate?: 0 | 90 | 180 | 270;
}

export interface PageSpec {
  readonly width?: number;
  readonly height?: number;
  /** The page's /Rotate entry. */
  readonly rotate?: 0 | 90 | 180 | 270;
  readonly lines?: readonly LineSpec[];
  readonly rects?: readonly RectSpec[];
  readonly texts?: readonly TextSpec[];
  /** Draw the texts invisibly (render mode 3), as an OCR layer over a scan does. */
  readonly invisibleText?: boolean;
  /** Replace the page's content stream with bytes that do not inflate (a damaged page). */
  readonly damagedContent?: boolean;
  /** PNG images placed on the page. */
  readonly images?: readonly {
    readonly png: Uint8Array;
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
  }[];
}

const A4 = { width: 595, height: 842 };

/** Builds a PDF (Helvetica text, stroked lines, filled rectangles) from specs in top-left coordinates. */
export async function makePdf(pages: readonly PageSpec[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const spec of pages) {
    const width = spec.width ?? A4.width;
    const height = spec.height ?? A4.height;
    const page = doc.addPage([width, height]);
    if (spec.rotate) page.setRotation(degrees(spec.rotate));
    for (const r of spec.rects ?? []) {
      page.drawRectangle({ x: r.x, y: height - r.y - r.h, width: r.w, height: r.h, color: grayscale(r.gray) });
    }
    for (const l of spec.lines ?? []) {
      page.drawLine({
        start: { x: l.x1, y: height - l.y1 },
        end: { x: l.x2, y: height - l.y2 },
        thickness: l.width ?? 0.75,
        color: grayscale(0),
      });
    }
    for (const im of spec.images ?? []) {
      const image = await doc.embedPng(im.png);
      page.drawImage(image, { x: im.x, y: height - im.y - im.h, width: im.w, height: im.h });
    }
    if (spec.invisibleText) page.pushOperators(setTextRenderingMode(TextRenderingMode.Invisible));
    for (const t of spec.texts ?? []) {
      page.drawText(t.text, { x: t.x, y: height - t.y, size: t.size ?? 10, font, rotate: degrees(t.rotate ?? 0) });
    }
    if (spec.damagedContent) {
      const garbage = new Uint8Array(200).map((_, i) => (i * 37 + 11) & 255);
      page.node.set(
        PDFName.of('Contents'),
        doc.context.register(doc.context.stream(garbage, { Filter: 'FlateDecode' })),
      );
    }
  }
  return doc.save({ useObjectStreams: false });
}

export interface GridSpec {
  readonly x: number;
  readonly y: number;
  readonly colWidths: readonly number[];
  readonly rowHeight: number;
  /** Cell texts row by row; `null` leaves a cell empty. */
  readonly rows: readonly (readonly (string | null)[])[];
  /** Cells to merge: the vertical rule right of (row, col) is left out. */
  readonly mergeRight?: readonly { readonly row: number; readonly col: number }[];
}

/** Lines and texts of a fully ruled table, for use in a PageSpec. */
export function gridPage(grid: GridSpec): { lines: LineSpec[]; texts: TextSpec[] } {
  const xs = [grid.x];
  for (const w of grid.colWidths) xs.push((xs[xs.length - 1] as number) + w);
  const bottom = grid.y + grid.rows.length * grid.rowHeight;
  const lines: LineSpec[] = [];
  grid.rows.forEach((_, r) => {
    const y = grid.y + r * grid.rowHeight;
    lines.push({ x1: grid.x, y1: y, x2: xs[xs.length - 1] as number, y2: y });
  });
  lines.push({ x1: grid.x, y1: bottom, x2: xs[xs.length - 1] as number, y2: bottom });
  xs.forEach((x, c) => {
    grid.rows.forEach((_, r) => {
      const merged = (grid.mergeRight ?? []).some((m) => m.row === r && m.col + 1 === c);
      if (!merged) lines.push({ x1: x, y1: grid.y + r * grid.rowHeight, x2: x, y2: grid.y + (r + 1) * grid.rowHeight });
    });
  });
  const texts: TextSpec[] = [];
  grid.rows.forEach((row, r) => {
    row.forEach((text, c) => {
      if (text !== null)
        texts.push({ x: (xs[c] as number) + 3, y: grid.y + r * grid.rowHeight + grid.rowHeight * 0.7, text });
    });
  });
  return { lines, texts };
}

/** A PDF with `count` blank pages (to test the page limit). */
export async function makeBlankPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < count; i++) doc.addPage([200, 200]);
  return doc.save({ useObjectStreams: true });
}

/** Writes a PDF by hand from object bodies (numbered from 1; object 1 is the catalog) and extra trailer entries. */
function writeRawPdf(objects: readonly string[], trailerExtra = ''): Uint8Array {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/**
 * A hand-written PDF whose trailer names a Standard security handler (RC4, 40-bit) with a user password
 * that is not empty, so a reader needs a password to open it.
 */
export function makeEncryptedPdf(): Uint8Array {
  const hex = (seed: number, bytes: number): string =>
    Array.from({ length: bytes }, (_, i) => ((seed * 31 + i * 17) & 255).toString(16).padStart(2, '0')).join('');
  return writeRawPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${hex(7, 32)}> /U <${hex(11, 32)}> /P -44 >>`,
    ],
    `/Encrypt 4 0 R /ID [<${hex(3, 16)}> <${hex(3, 16)}>] `,
  );
}

/** A well-formed PDF whose page tree is empty (/Count 0); pdf-lib always adds a page, so it is written by hand. */
export function makeZeroPagePdf(): Uint8Array {
  return writeRawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
}
