import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { isProblem } from '../../../core/intake/is-problem.js';
import { openPdf } from '../../../core/pdf/open-pdf.js';
import { makeBlankPdf, makeEncryptedPdf, makePdf, makeZeroPagePdf } from '../../helpers/make-pdf.js';

describe('openPdf', () => {
  it('opens a PDF and exposes its pages; the caller destroys it', async () => {
    const pdf = await openPdf(await makePdf([{}, {}]), DEFAULT_LIMITS);
    if (isProblem(pdf)) throw new Error(pdf.message);
    try {
      expect(pdf.numPages).toBe(2);
      expect((await pdf.getPage(2)).pageNumber).toBe(2);
    } finally {
      await pdf.destroy();
    }
  });

  it('does not detach the caller’s bytes', async () => {
    const bytes = await makePdf([{}]);
    const pdf = await openPdf(bytes, DEFAULT_LIMITS);
    if (!isProblem(pdf)) await pdf.destroy();
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  it('opens a PDF with junk before its %PDF- header (offsets shifted)', async () => {
    const good = await makePdf([{ texts: [{ x: 50, y: 50, text: 'Hello' }] }]);
    const junk = new TextEncoder().encode('X-Mailer: scanner\r\n'.repeat(10));
    const pdf = await openPdf(new Uint8Array([...junk, ...good]), DEFAULT_LIMITS);
    if (isProblem(pdf)) throw new Error(pdf.message);
    try {
      const content = await (await pdf.getPage(1)).getTextContent();
      expect(content.items.map((i) => ('str' in i ? i.str : '')).join('')).toBe('Hello');
    } finally {
      await pdf.destroy();
    }
  });

  it('reports an encrypted PDF without password as ENCRYPTED', async () => {
    expect(await openPdf(makeEncryptedPdf(), DEFAULT_LIMITS)).toMatchObject({ code: 'ENCRYPTED', stage: 'open' });
  });

  it('reports a PDF without pages as EMPTY', async () => {
    expect(await openPdf(makeZeroPagePdf(), DEFAULT_LIMITS)).toMatchObject({ code: 'EMPTY', stage: 'open' });
  });

  it('reports truncated and garbage PDFs as CORRUPT', async () => {
    const good = await makePdf([{ texts: [{ x: 50, y: 50, text: 'Hello' }] }]);
    expect(await openPdf(good.slice(0, Math.floor(good.length / 2)), DEFAULT_LIMITS)).toMatchObject({
      code: 'CORRUPT',
    });
    expect(await openPdf(new TextEncoder().encode('%PDF-1.7\n this is not a pdf'), DEFAULT_LIMITS)).toMatchObject({
      code: 'CORRUPT',
    });
  });

  it('rejects a 2,000-page PDF over the page limit from its page count alone (no page is parsed)', async () => {
    const result = await openPdf(await makeBlankPdf(2000), DEFAULT_LIMITS);
    expect(result).toMatchObject({ code: 'TOO_LARGE', stage: 'open' });
  });
});
