/**
 * Page 2 of the scan matrix's AR PL UMing report 0 as its `fax-standard` device sends it (the seed
 * the matrix uses), 表三's total column: three printed 0s kept only their flanks and read 11, and
 * 4779's 779 ran together into one glyph (read 4774 by the page). Only the value cells of nine rows
 * are read, enough for the page's digit pitch.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hash } from '../../bench/fax-pdf.js';
import { devLayouts } from '../../bench/matrix/compose-report.js';
import { DEVICES, FAMILIES } from '../../bench/matrix/devices.js';
import { familyReport } from '../../bench/matrix/family-report.js';
import type { Cell } from '../../core/model/index.js';
import { DEFAULT_LIMITS } from '../../core/intake/limits.js';
import { readTable } from '../../core/ocr/read-table.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../../core/pdf/page-image.js';
import { findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import { SHARED } from '../corpus/corpus-manifest.js';
import { printHtml } from '../helpers/print-html.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

describe("standard-mode fax totals: a 0's flanks and touching digits (UMing, fax-standard)", () => {
  const ocr = useOcrEngine({ workers: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'docq-split-digits-'));
  let cells: Cell[];

  beforeAll(async () => {
    const family = FAMILIES.find((f) => f.id === 'uming')!;
    const device = DEVICES.find((d) => d.id === 'fax-standard')!;
    const { html, gt } = familyReport(family, 0, devLayouts(join(SHARED, 'corpus', 'dev')));
    const printed = join(dir, 'printed.pdf');
    writeFileSync(printed, printHtml(html));
    const issuer = String(gt.expected['issuer'] ?? '人民政府办公室');
    const index = FAMILIES.indexOf(family) * 7 + DEVICES.indexOf(device);
    const bytes = await device.make(printed, { seed: hash('uming/fax-standard/0'), index, issuer });
    const pdf = await openPdf(bytes.slice(), DEFAULT_LIMITS);
    if (!('proxy' in pdf)) throw new Error(pdf.message);
    const loaded = await loadPageRaster(
      await indexPdfObjects(bytes),
      (await pdf.getPage(2)) as unknown as ImagePage,
      2,
    );
    if (loaded.status !== 'ok') throw new Error(loaded.problem.message);
    const prepared = await prepareScan(loaded.raster);
    const opts = { coarse: loaded.raster.lineDpi !== undefined, faxLines: loaded.raster.faxLines === true };
    const found = findRasterTables(prepared, 2, 1, opts);
    const t = found.tables[0]!;
    const totals = {
      ...t,
      cells: t.cells.filter((c) => c.col >= 3 && [4, 5, 6, 7, 14, 17, 18, 24, 25].includes(c.row)),
    };
    cells = [...(await readTable(prepared.raster, totals, 0, found.cellCrops, ocr(), opts)).cells];
  }, 400_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const at = (row: number): Cell => cells.find((c) => c.row === row && c.col === 9)!;

  it('reads the two flanks of a 0 as a doubtful 0, 11 kept for the sums', () => {
    for (const row of [6, 7, 24]) {
      expect(at(row).text).toBe('0');
      expect(at(row).alternatives).toContain('11');
    }
  });

  it('pulls 4779 apart: four digits, the split reading among its readings', () => {
    const total = at(25);
    expect([total.text, ...(total.alternatives ?? [])]).toContain('4779');
    expect(total.glyphs).toBe(4);
  });
});
