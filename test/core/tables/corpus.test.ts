import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { isProblem } from '../../../core/intake/is-problem.js';
import type { Page, Table } from '../../../core/model/index.js';
import { layoutPdfPage } from '../../../core/pdf/layout-pdf-page.js';
import { openPdf } from '../../../core/pdf/open-pdf.js';
import { stitchTables } from '../../../core/tables/stitch-tables.js';
import { normalizeText } from '../../../core/text/normalize-text.js';

const DEV = '../shared/corpus/dev';
const REAL = '../shared/corpus/real/gov_annual_reports';
/** A quick subset covering every layout feature; CORPUS_ALL=1 runs all 14 synthetic documents. */
const DOCS = process.env.CORPUS_ALL
  ? [
      '1-0',
      '1-1',
      '1-2',
      '1-3',
      '1-4',
      '1-5',
      '2019-0',
      '2019-1',
      '2019-2',
      '2019-3',
      '21x-0',
      '21x-1',
      '21x-2',
      '21x-3',
    ].map((d) => `synth-${d}`)
  : ['synth-2019-1', 'synth-2019-3', 'synth-21x-3'];

interface Expected {
  applications: Record<string, Record<string, number | null>>;
  review_litigation: Record<string, number | null>;
}

async function extractTables(path: string): Promise<Table[]> {
  const pdf = await openPdf(new Uint8Array(readFileSync(path)), DEFAULT_LIMITS);
  if (isProblem(pdf)) throw new Error(pdf.message);
  const pages: Page[] = [];
  const tables: Table[] = [];
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const result = await layoutPdfPage(pdf, n);
      if (isProblem(result)) throw new Error(result.message);
      pages.push(result.page);
      tables.push(...result.tables);
    }
  } finally {
    await pdf.destroy();
  }
  return stitchTables(tables, pages);
}

/** Test-side reading of a printed number: NFKC, separators and 元 removed; blank is null. */
function numberOf(text: string): number | null {
  const t = normalizeText(text).replace(/[,\s元]/g, '');
  return t === '' ? null : Number(t);
}

/** Labelled rows whose last `width` cells are all numbers or blank (blank template rows included), as arrays of their values. */
function valueRows(table: Table, width: number): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let r = 0; r < table.rows; r++) {
    const cells = table.cells.filter((c) => c.row === r).sort((a, b) => a.col - b.col);
    const tail = cells.slice(-width);
    if (tail.length < width || cells.length <= width) continue;
    const values = tail.map((c) => numberOf(c.text));
    const labelled = cells.slice(0, -width).some((c) => c.text !== '');
    if (labelled && values.every((v) => v === null || Number.isFinite(v))) out.push(values);
  }
  return out;
}

const hasCorpus = existsSync(DEV) && existsSync(REAL);

describe.skipIf(!hasCorpus)('ruled tables on the shared corpus', () => {
  for (const doc of DOCS) {
    it(`${doc}: 表三 has every data row across page breaks and 表四 its 15 values`, async () => {
      const gt = JSON.parse(readFileSync(`${DEV}/${doc}/gt.json`, 'utf8')) as { expected: Expected };
      const tables = await extractTables(`${DEV}/${doc}/digital.pdf`);
      const t3 = tables.find((t) => t.cols >= 9 && t.rows > 20);
      const t4 = tables.find((t) => t.cols === 15);
      if (!t3 || !t4)
        throw new Error(`tables not found: ${tables.map((t) => `${t.id} ${t.rows}x${t.cols}`).join(', ')}`);
      const expectedRows = Object.values(gt.expected.applications).map((row) => Object.values(row));
      expect(valueRows(t3, 7)).toEqual(expectedRows);
      const t4Values = t4.cells.filter((c) => c.row === t4.rows - 1).map((c) => numberOf(c.text));
      expect(t4Values).toEqual(Object.values(gt.expected.review_litigation));
    });
  }

  it('huaian city 2024 (WPS, stroked rules): 表二 as one table over two pages, 表三 28 × 10, 表四 15 values', async () => {
    const tables = await extractTables(`${REAL}/huaian_city_2024_gov_info_disclosure_annual_report.pdf`);
    expect(tables.map((t) => [t.id, t.rows, t.cols])).toEqual([
      ['p3-t1+p4-t1', 14, 4],
      ['p4-t2+p5-t1', 28, 10],
      ['p5-t2', 4, 15],
    ]);
    const [t2, t3, t4] = tables as [Table, Table, Table];
    const text = (t: Table, row: number): string[] => t.cells.filter((c) => c.row === row).map((c) => c.text);
    expect(text(t2, 3)).toEqual(['行政规范性文件', '8', '26', '66']);
    expect(text(t2, 13)).toEqual(['行政事业性收费', '96171.6']);
    expect(text(t3, 3)).toEqual(['一、本年新收政府信息公开申请数量', '3001', '53', '0', '0', '61', '4', '3119']);
    expect(text(t3, 27)).toEqual(['四、结转下年度继续办理', '103', '0', '0', '0', '0', '0', '103']);
    expect(text(t4, 3)).toEqual(['72', '64', '178', '37', '351', '13', '4', '8', '1', '26', '12', '1', '1', '6', '20']);
  });
});
