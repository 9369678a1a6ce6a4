import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { addFaxPage, faxify, FAX_XDPI, hash } from '../../bench/fax-pdf.js';
import { devFax } from '../../bench/make-fax-scans.js';
import { DEVICES } from '../../bench/matrix/devices.js';
import { REAL_REPORTS } from '../../bench/matrix/real-reports.js';
import { DEFAULT_LIMITS } from '../../core/index.js';
import type { Table } from '../../core/model/index.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, readPageImage, type ImagePage } from '../../core/pdf/page-image.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';

export const DEV = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'dev');

/** One page of a dev report faxed at `ydpi` lines an inch (bench/make-fax-scans' seeds), as docq reads it back. */
export async function faxedPage(doc: string, page: number, ydpi: number) {
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

/** The raster tables of a faxed dev page; `coarse` as the OCR path sets it for a standard-mode page. */
export async function faxedTables(doc: string, page: number, ydpi: number, coarse: boolean): Promise<Table[]> {
  const raster = await faxedPage(doc, page, ydpi);
  return [...findRasterTables(await prepareScan(raster), page, 1, { coarse }).tables];
}

export const shape = (tables: readonly Table[]): string[] => tables.map((t) => `${t.rows}x${t.cols}`);

/**
 * One page of a dev report's fax exactly as `bench/make-fax-scans.ts` writes it into the dev fax set
 * (its header, streak and encoding), as docq reads it back: the cells the fax scorer counts.
 */
export async function devFaxPage(doc: string, page: number) {
  const bytes = await devFax(DEV, doc);
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  const raster = await readPageImage(indexPdfObjects(bytes), (await opened.getPage(page)) as unknown as ImagePage);
  await opened.destroy();
  return raster!;
}

/** The raster tables of page `page` of a real report as the scan matrix's `device` faxes it (same seeds), as docq reads them. */
export async function faxedRealTables(id: string, device: 'fax-fine' | 'fax-standard', page: number): Promise<Table[]> {
  const report = REAL_REPORTS.findIndex((r) => r.id === id);
  const d = DEVICES.find((x) => x.id === device)!;
  const bytes = await d.make(REAL_REPORTS[report]!.file, {
    seed: hash(`${id}/${device}`),
    index: report * 7 + DEVICES.indexOf(d),
    issuer: '',
  });
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  try {
    const raster = await readPageImage(indexPdfObjects(bytes), (await opened.getPage(page)) as unknown as ImagePage);
    if (raster?.faxLines !== true) throw new Error(`${id} ${device} page ${page} is not a fax page`);
    const found = findRasterTables(await prepareScan(raster), page, 1, {
      coarse: raster.lineDpi !== undefined,
      faxLines: true,
    });
    return [...found.tables];
  } finally {
    await opened.destroy();
  }
}
