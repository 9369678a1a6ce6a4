import sharp from 'sharp';
import { DEFAULT_LIMITS, type Limits } from './intake/limits.js';
import { isProblem } from './intake/is-problem.js';
import { sniff } from './intake/sniff.js';
import type { Problem } from './model/index.js';
import { openPdf } from './pdf/open-pdf.js';
import type { ExtractInput } from './pipeline-input.js';

/** How many pages the input has, without reading them: lets a queue decide how to fan a document out. */
export async function countPages(input: ExtractInput, limits: Partial<Limits> = {}): Promise<number | Problem> {
  const all = { ...DEFAULT_LIMITS, ...limits };
  const parts = 'bytes' in input ? [input.bytes] : input.images.map((i) => i.bytes);
  let total = 0;
  for (const bytes of parts) {
    const sniffed = sniff(bytes, all);
    if (isProblem(sniffed)) return sniffed;
    if (sniffed.kind === 'pdf') {
      const pdf = await openPdf(bytes, all);
      if (isProblem(pdf)) return pdf;
      total += pdf.numPages;
      await pdf.destroy();
    } else if (sniffed.kind === 'tiff') {
      try {
        total += (await sharp(bytes).metadata()).pages ?? 1;
      } catch (error) {
        return {
          code: 'CORRUPT',
          message: `the TIFF cannot be read (${error instanceof Error ? error.message : String(error)})`,
          stage: 'intake',
        };
      }
    } else total += 1;
  }
  return total;
}
