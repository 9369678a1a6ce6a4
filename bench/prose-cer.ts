import { join } from 'node:path';
import { isProblem } from '../core/intake/is-problem.js';
import { layoutPdfPage } from '../core/pdf/layout-pdf-page.js';
import { DEV, open } from './corpus-truth.js';

/** Text outside tables on each page of digital.pdf: the truth for the OCR prose pass. */
export async function truthProse(doc: string): Promise<Map<number, string>> {
  const pdf = await open(join(DEV, doc, 'digital.pdf'));
  const out = new Map<number, string>();
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const laid = await layoutPdfPage(pdf, n);
      if (isProblem(laid)) continue;
      const boxes = laid.tables.map((t) => t.box);
      const lines = laid.page.lines.filter((l) => {
        const cx = (l.box.x0 + l.box.x1) / 2;
        const cy = (l.box.y0 + l.box.y1) / 2;
        return !boxes.some((b) => cx >= b.x0 && cx <= b.x1 && cy >= b.y0 && cy <= b.y1);
      });
      out.set(n, lines.map((l) => l.text).join(''));
    }
  } finally {
    await pdf.destroy();
  }
  return out;
}

const norm = (s: string): string => s.normalize('NFKC').replace(/\s/g, '');

/** Character edit distance between OCR prose and the truth (whitespace ignored, NFKC). */
export function proseCer(truth: string, read: string): { chars: number; edits: number } {
  const a = norm(truth);
  const b = norm(read);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return { chars: a.length, edits: prev[b.length] ?? 0 };
}
