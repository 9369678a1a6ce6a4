/**
 * Zeros and thin 1s in any face read as digits: on scans of 淮安市 2024's 表三 page (Times digits,
 * 200 dpi, blur, noise, JPEG 55, as the scan matrix's flat-200 device) a clean 4 read as 了 and a 1
 * as 上 at 0.97 (the digits setup read nothing, the label setup a glyph), and each unparsable value
 * skipped every sum through its row and column. Every value cell of the page's tables must read as
 * a number now.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../core/index.js';
import { NUMBER } from '../../core/ocr/number-text.js';
import { makeScan } from '../helpers/make-scan.js';
import { useOcrEngine } from '../helpers/ocr-engine.js';
import { SHARED } from '../corpus/corpus-manifest.js';

const REPORT = join(SHARED, 'corpus/real/gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf');
const FLAT_200 = { dpi: 200, angle: 0.6, blur: 0.7, noise: 30, jpegQuality: 55 } as const;
const SEED = Number(process.env.DIGIT_SEED ?? 11);

describe.skipIf(!existsSync(REPORT))('number cells of a real report scan read as numbers', () => {
  const ocr = useOcrEngine({ workers: 1 });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'docq-digits-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('淮安市 2024 表三 page at 200 dpi: no value cell right of a number reads as letters or ideographs', async () => {
    const page = join(dir, 'p4.pdf');
    execFileSync('pdfseparate', ['-f', '4', '-l', '4', REPORT, page]);
    const doc = await extractDocument(
      { bytes: await makeScan(page, FLAT_200, { seed: SEED }), name: 'p4.pdf' },
      { ocr: ocr() },
    );
    const big = doc.tables.reduce((a, b) => (a.rows * a.cols >= b.rows * b.cols ? a : b));
    expect(big.rows).toBeGreaterThanOrEqual(12);
    const misread: string[] = [];
    let values = 0;
    for (let r = 0; r < big.rows; r++) {
      const row = big.cells.filter((c) => c.row === r).sort((a, b) => a.col - b.col);
      const first = row.findIndex((c) => NUMBER.test(c.text));
      if (first < 0) continue;
      for (const c of row.slice(first)) {
        values++;
        if (c.text !== '' && !NUMBER.test(c.text)) misread.push(`r${r} c${c.col}: ${c.text}`);
      }
    }
    expect(values).toBeGreaterThan(80);
    expect(misread).toEqual([]);
  }, 240_000);
});
