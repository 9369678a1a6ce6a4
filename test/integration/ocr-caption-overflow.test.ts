/**
 * 表四 of the scan matrix's WenQuanYi Micro Hei report 0 (bench/matrix/family-report.ts, scanned by
 * the `flat-200` device with its seed) with its captions set as Chromium sets vertical text
 * (`writing-mode: vertical-rl`, as the matrix printed Micro Hei before e504a2a stacked them): the
 * captions 结果维持 … run through the rule above the value row, and the bottom of their last character
 * (持, 结) sits on top of the value below, as text that overflows a fixed-height row does. Before
 * core/ocr/drop-overflow.ts six of its 15 values read 也, 位, 六, T or a doubtful 0, the row was
 * unparsable and all 14 review_litigation cells went missing (the matrix's Micro Hei flat-200 row,
 * 92.4 % correct, was read off such a page).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hash } from '../../bench/fax-pdf.js';
import { devLayouts } from '../../bench/matrix/compose-report.js';
import { DEVICES, FAMILIES } from '../../bench/matrix/devices.js';
import { familyReport } from '../../bench/matrix/family-report.js';
import { DEFAULT_LIMITS } from '../../core/intake/limits.js';
import { dropOverflow } from '../../core/ocr/drop-overflow.js';
import { findInk } from '../../core/ocr/find-ink.js';
import { readCell } from '../../core/ocr/read-cell.js';
import { openPdf } from '../../core/pdf/open-pdf.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../../core/pdf/page-image.js';
import { cellKey, findRasterTables } from '../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../core/raster/prepare-scan.js';
import type { Raster } from '../../core/raster/raster.js';
import { SHARED } from '../corpus/corpus-manifest.js';
import { printHtml } from '../helpers/print-html.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';

/** 表四's value row in printed order (review_upheld … lit_after_review_total) of this report. */
const KEYS = ['review', 'lit_direct', 'lit_after_review'].flatMap((g) =>
  ['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => `${g}_${k}`),
);

describe('表四 captions running through the value row’s rule (Micro Hei, flat-200)', () => {
  const ocr = useOcrEngine();
  let page: Raster;
  let crops: { x0: number; y0: number; x1: number; y1: number }[];
  let want: number[];
  const dir = mkdtempSync(join(tmpdir(), 'docq-overflow-'));

  beforeAll(async () => {
    const family = { ...FAMILIES.find((f) => f.id === 'microhei')!, stackVertical: false };
    const device = DEVICES.find((d) => d.id === 'flat-200')!;
    const { html, gt } = familyReport(family, 0, devLayouts(join(SHARED, 'corpus', 'dev')));
    const printed = join(dir, 'printed.pdf');
    writeFileSync(printed, printHtml(html));
    const issuer = String(gt.expected['issuer'] ?? '');
    const bytes = await device.make(printed, { seed: hash('microhei/flat-200/0'), index: 0, issuer });
    const pdf = await openPdf(bytes.slice(), DEFAULT_LIMITS);
    if (!('proxy' in pdf)) throw new Error(pdf.message);
    const n = pdf.numPages;
    const loaded = await loadPageRaster(
      await indexPdfObjects(bytes),
      (await pdf.getPage(n)) as unknown as ImagePage,
      n,
    );
    if (loaded.status !== 'ok') throw new Error(loaded.problem.message);
    const prepared = await prepareScan(loaded.raster);
    const found = findRasterTables(prepared, n);
    page = found.raster ?? prepared.raster;
    const i = found.tables.findIndex((t) => t.cols === 15);
    expect(i).toBeGreaterThanOrEqual(0);
    const t4 = found.tables[i]!;
    crops = Array.from({ length: 15 }, (_, c) => found.cellCrops.get(cellKey(i, t4.rows - 1, c))!);
    const truth = gt.expected['review_litigation'] as Record<string, number>;
    want = KEYS.map((k) => truth[k]!);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps no ink of the captions above in the value cells', () => {
    // Every value cell's kept ink is one row of digits clear of its top edge (the tails touched it).
    for (const crop of crops) {
      const ink = findInk(page, crop, page.dpi);
      expect(ink.box).not.toBeNull();
      expect(ink.rows).toBe(1);
      expect(ink.box!.y0 - Math.floor(crop.y0)).toBeGreaterThan(0);
    }
  });

  it('reads every value of the row', async () => {
    const read = await Promise.all(crops.map((crop) => readCell(page, crop, page.dpi, ocr())));
    expect(read.map((r) => r.text)).toEqual(want.map(String));
  }, 120_000);
});

describe('dropOverflow (drawn)', () => {
  /**
   * A 40 × 70 page at 300 dpi, a 3-px rule at rows 40–42 and the cell's crop below it (rows 43–69,
   * crop rows 0–26): a stroke `wide` pixels wide from page row `top` down to crop row `bottom`, and the
   * cell's own glyph (columns 26–29, crop rows 7–17).
   */
  function drawn(top: number, bottom: number, wide: number) {
    const data = new Uint8Array(40 * 70).fill(255);
    for (let y = 40; y < 43; y++) data.fill(0, y * 40, y * 40 + 40);
    for (let y = top; y <= 43 + bottom; y++) data.fill(0, y * 40 + 22 - wide, y * 40 + 22);
    for (let y = 50; y <= 60; y++) data.fill(0, y * 40 + 26, y * 40 + 30);
    const mask = new Uint8Array(40 * 27);
    for (let i = 0; i < mask.length; i++) mask[i] = data[43 * 40 + i]! < 128 ? 1 : 0;
    return { raster: { width: 40, height: 70, data }, mask };
  }
  const crop = { x0: 0, y0: 43, x1: 40, y1: 70 };
  const inkRows = (mask: Uint8Array): number[] =>
    Array.from({ length: 27 }, (_, y) => y).filter((y) => mask.subarray(y * 40, y * 40 + 40).some((v) => v === 1));
  const kept = (top: number, bottom: number, wide: number): boolean => {
    const { raster, mask } = drawn(top, bottom, wide);
    const before = inkRows(mask);
    dropOverflow(mask, raster, crop, 127, 300);
    return inkRows(mask).length === before.length;
  };

  it('clears the tail of a glyph whose strokes cross the rule from the cell above', () => {
    const { raster, mask } = drawn(30, 3, 8);
    dropOverflow(mask, raster, crop, 127, 300);
    expect(inkRows(mask)).toEqual(Array.from({ length: 11 }, (_, i) => 7 + i));
  });

  it('leaves a glyph that only touches the rule', () => {
    expect(kept(43, 3, 8)).toBe(true);
  });

  it('leaves a thin streak that crosses the rule (a fax sensor streak, 2 px)', () => {
    expect(kept(30, 3, 2)).toBe(true);
  });

  it('leaves a stroke that runs on down the cell', () => {
    expect(kept(30, 20, 8)).toBe(true);
  });
});
