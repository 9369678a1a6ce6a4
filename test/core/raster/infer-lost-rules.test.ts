import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addFaxPage, faxify, FAX_XDPI, hash } from '../../../bench/fax-pdf.js';
import { DEFAULT_LIMITS, extractDocument } from '../../../core/index.js';
import type { Table } from '../../../core/model/index.js';
import { openPdf } from '../../../core/pdf/open-pdf.js';
import { indexPdfObjects, readPageImage, type ImagePage } from '../../../core/pdf/page-image.js';
import { findRasterTables } from '../../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../../core/raster/prepare-scan.js';

const DEV = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus', 'dev');

/** One page of a dev report faxed at `ydpi` lines an inch (bench/make-fax-scans' seeds), as docq reads it back. */
async function faxedPage(doc: string, page: number, ydpi: number) {
  const work = mkdtempSync(join(tmpdir(), 'fax-rules-'));
  try {
    const png = join(work, 'p');
    execFileSync('pdftoppm', [
      '-r',
      String(FAX_XDPI),
      '-gray',
      '-png',
      '-singlefile',
      '-f',
      String(page),
      '-l',
      String(page),
      join(DEV, doc, 'digital.pdf'),
      png,
    ]);
    const { data, info } = await sharp(readFileSync(`${png}.png`))
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const fax = await faxify(data, info.width, info.height, {
      ydpi,
      seed: hash(`${doc}/${page - 1}`),
      header: 'P.001',
      streak: false,
    });
    const pdf = await PDFDocument.create();
    await addFaxPage(pdf, fax, 'g4');
    const bytes = await pdf.save({ useObjectStreams: false });
    const opened = await openPdf(bytes, DEFAULT_LIMITS);
    if (!('numPages' in opened)) throw new Error(opened.message);
    const raster = await readPageImage(indexPdfObjects(bytes), (await opened.getPage(1)) as unknown as ImagePage);
    await opened.destroy();
    return raster!;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function tablesOf(doc: string, page: number, ydpi: number, coarse: boolean): Promise<Table[]> {
  const raster = await faxedPage(doc, page, ydpi);
  return [...findRasterTables(await prepareScan(raster), page, 1, { coarse }).tables];
}

const shape = (tables: readonly Table[]): string[] => tables.map((t) => `${t.rows}x${t.cols}`);

describe('inferLostRules: rows of a standard-mode fax table whose row rules fell between scan lines', () => {
  it('gives the 表二 of a v2019 report the rows the fine-mode fax of the same page has', async () => {
    const fine = await tablesOf('synth-2019-2', 1, 196, false);
    expect(shape(fine)).toEqual(['10x4']);
    // At 98 lines an inch the thin row rules are gone: the lattice is a few tall bands.
    const lost = await tablesOf('synth-2019-2', 1, 98, false);
    expect(lost[0]!.rows).toBeLessThan(fine[0]!.rows);
    const standard = await tablesOf('synth-2019-2', 1, 98, true);
    expect(shape(standard)).toEqual(shape(fine));
    // The caption rows span the table as on the fine page.
    const spans = (t: Table): string[] => t.cells.map((c) => `${c.row},${c.col}:${c.rowSpan}x${c.colSpan}`);
    expect(spans(standard[0]!)).toEqual(spans(fine[0]!));
  }, 60_000);

  it('does not split the wrapped two-line headers of a 表四: the rows of the born-digital table', async () => {
    const digital = await extractDocument({
      bytes: readFileSync(join(DEV, 'synth-2019-2', 'digital.pdf')),
      name: 'digital.pdf',
    });
    const printed = digital.tables.filter((t) => t.pages.length === 1 && t.pages[0] === 3);
    expect(shape(printed)).toEqual(['4x15']);
    const standard = await tablesOf('synth-2019-2', 3, 98, true);
    expect(shape(standard).slice(-1)).toEqual(shape(printed));
  }, 60_000);
});

describe('inferLostRules: the dashes a lost rule leaves between two rows', () => {
  it('splits the rows of a tightly set 表三 whose every row rule was lost (synth-21x-1, page 2)', async () => {
    const t3 = (tables: Table[]): Table => tables.find((t) => t.cols >= 9)!;
    const fine = t3(await tablesOf('synth-21x-1', 2, 196, false));
    const standard = t3(await tablesOf('synth-21x-1', 2, 98, true));
    // The dashes were taken for writing across the gap: 18 rows; the fine-mode page has all of them.
    expect(standard.rows).toBeGreaterThanOrEqual(21);
    expect(standard.rows).toBeLessThanOrEqual(fine.rows);
  }, 60_000);
});
