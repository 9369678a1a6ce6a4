import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addFaxPage, faxify, FAX_XDPI, hash } from '../../bench/fax-pdf.js';
import { extractDocument } from '../../core/index.js';
import { classifyTables } from '../../core/report/classify-tables.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

const DEV = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'dev');

/** The first two pages of a dev report faxed in standard mode (98 lines an inch), bench/make-fax-scans' seeds. */
async function standardFax(doc: string): Promise<Uint8Array> {
  const work = mkdtempSync(join(tmpdir(), 'fax-heading-'));
  try {
    execFileSync('pdftoppm', [
      '-r',
      String(FAX_XDPI),
      '-gray',
      '-png',
      '-f',
      '1',
      '-l',
      '2',
      join(DEV, doc, 'digital.pdf'),
      join(work, 'p'),
    ]);
    const pdf = await PDFDocument.create();
    for (const [i, file] of readdirSync(work).sort().entries()) {
      const { data, info } = await sharp(readFileSync(join(work, file)))
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const page = await faxify(data, info.width, info.height, {
        ydpi: 98,
        seed: hash(`${doc}/${i}`),
        header: `P.00${i + 1}`,
        streak: false,
      });
      await addFaxPage(pdf, page, 'g4');
    }
    return await pdf.save({ useObjectStreams: false });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('a standard-mode fax whose table labels OCR cannot read (real tesseract.js)', () => {
  const ocr = useOcrEngine();

  it('maps 表三 by the section heading above it, and flags every value of it', async () => {
    const doc = await extractDocument({ bytes: await standardFax('synth-2019-2'), name: 'fax.pdf' }, { ocr: ocr() });
    expect(doc.pages.every((p) => p.image?.lineDpi === 98)).toBe(true);
    const report = doc.report!;
    expect(report).not.toBeNull();
    const t3 = report.mappedTableIds.applications;
    expect(t3.length).toBeGreaterThan(0);
    // No anchor classifies it: only the heading does.
    const alone = classifyTables(doc.tables.filter((t) => t3.includes(t.id)));
    expect([...alone.values()].every((p) => p === null)).toBe(true);
    const placed = Object.values(report.cells).filter((c) => c.key.startsWith('applications.') && c.source !== null);
    expect(placed.length).toBeGreaterThan(50);
    expect(placed.filter((c) => !c.flags.includes('ambiguous-parse')).map((c) => c.key)).toEqual([]);
  }, 600_000);
});
