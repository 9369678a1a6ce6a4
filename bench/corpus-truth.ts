import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../core/intake/limits.js';
import { isProblem } from '../core/intake/is-problem.js';
import type { Table } from '../core/model/index.js';
import { layoutPdfPage } from '../core/pdf/layout-pdf-page.js';
import { openPdf, type OpenedPdf } from '../core/pdf/open-pdf.js';

export const DEV = '/work/shared/corpus/dev';

/** Dev documents whose scans are rendered from digital.pdf (truth by page, table and cell position). */
export function devDocs(prefix = 'synth-'): string[] {
  return readdirSync(DEV)
    .filter((d) => d.startsWith(prefix))
    .sort();
}

export async function open(path: string): Promise<OpenedPdf> {
  const pdf = await openPdf(new Uint8Array(readFileSync(path)), DEFAULT_LIMITS);
  if (isProblem(pdf)) throw new Error(`${path}: ${pdf.message}`);
  return pdf;
}

/** Tables of each page of digital.pdf, read from its text layer: the truth for the scans' cells. */
export async function truthTables(doc: string): Promise<Map<number, Table[]>> {
  const pdf = await open(join(DEV, doc, 'digital.pdf'));
  const out = new Map<number, Table[]>();
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const laid = await layoutPdfPage(pdf, n);
      out.set(n, isProblem(laid) ? [] : [...laid.tables]);
    }
  } finally {
    await pdf.destroy();
  }
  return out;
}

/** Cells whose truth is a number (or blank): what OCR must get right. */
export function numericTruth(text: string): string | null {
  const t = text.normalize('NFKC').replace(/\s/g, '');
  return /^[+-]?\d*(\.\d+)?$/.test(t) ? t : null;
}

export interface CellOutcome {
  readonly doc: string;
  readonly kind: string;
  readonly page: number;
  readonly key: string;
  readonly truth: string;
  readonly read: string;
  readonly confidence: number;
  readonly correct: boolean;
}

/** Compare OCR tables against truth tables of the same page by table order and cell position. */
export function compareTables(
  doc: string,
  kind: string,
  page: number,
  truth: readonly Table[],
  ocr: readonly Table[],
): CellOutcome[] {
  const out: CellOutcome[] = [];
  truth.forEach((t, i) => {
    const o = ocr[i];
    for (const tc of t.cells) {
      const want = numericTruth(tc.text);
      if (want === null) continue;
      const oc = o?.cells.find((c) => c.row === tc.row && c.col === tc.col);
      const read = oc ? oc.text.replace(/\s/g, '') : '∅';
      out.push({
        doc,
        kind,
        page,
        key: `t${i + 1}r${tc.row}c${tc.col}`,
        truth: want,
        read,
        confidence: oc?.confidence ?? 0,
        correct: read === want,
      });
    }
  });
  return out;
}
