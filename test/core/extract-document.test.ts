import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { extractDocument, toReportJson, type Document } from '../../core/index.js';
import { makeBlankPdf, makeEncryptedPdf, makePdf, gridPage } from '../helpers/make-pdf.js';

/** What the scorer and the queue read of a failed document. */
function exported(doc: Document): { status: string; error?: { code: string; message: string } } {
  return toReportJson(doc) as { status: string; error?: { code: string; message: string } };
}

async function tablePdf(): Promise<Uint8Array> {
  const grid = gridPage({
    x: 50,
    y: 100,
    colWidths: [120, 60, 60],
    rowHeight: 20,
    rows: [
      ['item', 'a', 'b'],
      ['first', '1', '2'],
    ],
  });
  return makePdf([
    { width: 400, height: 400, ...grid, texts: [...grid.texts, { x: 50, y: 60, text: 'A small ruled table' }] },
  ]);
}

describe('extractDocument on bad input: a clear error on the document, never a crash or a hang', () => {
  it.each([
    { label: 'zero bytes', bytes: new Uint8Array(0), code: 'EMPTY' },
    {
      label: 'a text file',
      bytes: new TextEncoder().encode('just some text, not a document'),
      code: 'UNSUPPORTED_TYPE',
    },
    {
      label: 'garbage after a PDF header',
      bytes: new TextEncoder().encode('%PDF-1.7\n' + 'x'.repeat(500)),
      code: 'CORRUPT',
    },
    { label: 'an encrypted PDF without password', bytes: makeEncryptedPdf(), code: 'ENCRYPTED' },
  ])('$label → failed with $code', async ({ bytes, code }) => {
    const doc = await extractDocument({ bytes, name: 'input.pdf' });
    expect(doc.status).toBe('failed');
    expect(doc.error?.code).toBe(code);
    expect(doc.error?.message.length).toBeGreaterThan(10);
    const json = exported(doc);
    expect(json.status).toBe('failed');
    expect(json.error?.code).toBe(code);
  });

  it('a truncated PDF fails as CORRUPT or keeps what it could read with the damage recorded', async () => {
    const bytes = await tablePdf();
    const doc = await extractDocument({ bytes: bytes.slice(0, Math.floor(bytes.length * 0.6)), name: 'cut.pdf' });
    if (doc.status === 'failed') expect(doc.error?.code).toBe('CORRUPT');
    else expect(doc.problems.length).toBeGreaterThan(0);
  });

  it('a PDF of 2,000 blank pages is rejected as TOO_LARGE from its page count', async () => {
    const doc = await extractDocument(
      { bytes: await makeBlankPdf(2000), name: 'blank.pdf' },
      { limits: { maxPages: 1000 } },
    );
    expect(doc.status).toBe('failed');
    expect(doc.error?.code).toBe('TOO_LARGE');
    expect(doc.pages).toHaveLength(0);
  });

  it('an input over the byte limit is rejected before parsing', async () => {
    const doc = await extractDocument({ bytes: await tablePdf() }, { limits: { maxBytes: 100 } });
    expect(doc.error?.code).toBe('TOO_LARGE');
  });

  it('a PNG renamed .pdf is read as the image it is, and the mismatch is recorded', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const doc = await extractDocument({ bytes: new Uint8Array(png), name: 'report.pdf' }, { ocr: null });
    expect(doc.kind).toBe('png');
    expect(doc.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['TYPE_MISMATCH', 'OCR_UNAVAILABLE']));
    expect(doc.status).not.toBe('ok');
  });
});

describe('extractDocument on a small born-digital PDF', () => {
  it('accepts a Node Buffer as well as a Uint8Array', async () => {
    const doc = await extractDocument({ bytes: Buffer.from(await tablePdf()), name: 'buffer.pdf' });
    expect(doc.status).not.toBe('failed');
    expect(doc.tables).toHaveLength(1);
  });

  it('returns pages, text and the ruled table as a generic table when it is not an annual report', async () => {
    const doc = await extractDocument({ bytes: await tablePdf(), name: 'table.pdf' });
    expect(doc.status).not.toBe('failed');
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]?.method).toBe('text-layer');
    expect(doc.pages[0]?.text).toContain('A small ruled table');
    expect(doc.report).toBeNull();
    expect(doc.tables).toHaveLength(1);
    const cells = doc.tables[0]?.cells.map((c) => c.text);
    expect(cells).toEqual(expect.arrayContaining(['item', 'first', '1', '2']));
  });
});
