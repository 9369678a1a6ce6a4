import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '../../bench/fax-pdf.js';
import { devLayouts } from '../../bench/matrix/compose-report.js';
import { DEVICES, FAMILIES } from '../../bench/matrix/devices.js';
import { familyReport } from '../../bench/matrix/family-report.js';
import { REAL_REPORTS } from '../../bench/matrix/real-reports.js';
import { DEFAULT_LIMITS } from '../../core/intake/limits.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, readPageImage, type ImagePage } from '../../core/pdf/page-image.js';
import type { Raster } from '../../core/raster/raster.js';
import { SHARED } from '../corpus/corpus-manifest.js';
import { printHtml } from './print-html.js';

/**
 * Page `page` of the scan matrix's report 0 of `family` as `device` makes it (the seed and index the
 * matrix uses), as docq loads it, with the report's ground truth. `withHeldOutLayouts`: the report as
 * the generator printed it before session 15 (see familyReport), for the pages tests were written on.
 */
export async function matrixPage(
  family: string,
  device: string,
  page: number,
  withHeldOutLayouts = false,
): Promise<{ raster: Raster; expected: Record<string, unknown> }> {
  const f = FAMILIES.find((x) => x.id === family)!;
  const d = DEVICES.find((x) => x.id === device)!;
  const dir = mkdtempSync(join(tmpdir(), 'docq-matrix-page-'));
  try {
    const { html, gt } = familyReport(
      f,
      0,
      devLayouts(join(SHARED, 'corpus', 'dev')),
      withHeldOutLayouts || f.heldOut === true,
    );
    const printed = join(dir, 'printed.pdf');
    writeFileSync(printed, printHtml(html));
    const issuer = String(gt.expected['issuer'] ?? '人民政府办公室');
    const index = FAMILIES.indexOf(f) * 7 + DEVICES.indexOf(d);
    const bytes = await d.make(printed, { seed: hash(`${family}/${device}/0`), index, issuer });
    const pdf = await openPdf(bytes.slice(), DEFAULT_LIMITS);
    if (!('proxy' in pdf)) throw new Error(pdf.message);
    const loaded = await loadPageRaster(
      await indexPdfObjects(bytes),
      (await pdf.getPage(page)) as unknown as ImagePage,
      page,
    );
    if (loaded.status !== 'ok') throw new Error(loaded.problem.message);
    return { raster: loaded.raster, expected: gt.expected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Page `page` of a real report (bench/matrix/real-reports.ts) as the matrix's `device` sends it, read back as the pipeline reads it. */
export async function realReportPage(id: string, device: string, page: number): Promise<Raster> {
  const report = REAL_REPORTS.find((r) => r.id === id)!;
  const d = DEVICES.find((x) => x.id === device)!;
  const index = REAL_REPORTS.indexOf(report) * 7 + DEVICES.indexOf(d);
  const bytes = await d.make(report.file, { seed: hash(`${report.id}/${d.id}`), index, issuer: '' });
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  try {
    return (await readPageImage(indexPdfObjects(bytes), (await opened.getPage(page)) as unknown as ImagePage))!;
  } finally {
    await opened.destroy();
  }
}
