/**
 * bench/extract-digital: born-digital extraction speed on one core, warm, excluding process start.
 * Beside docq, in the same run: pdf.js's own getTextContent + getOperatorList on the same pages (the floor
 * of any pdf.js-based extractor) and `pdftotext -layout` (an outside reference).
 *   npx tsx bench/extract-digital.ts [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { extractDocument } from '../core/index.js';
import { openPdf } from '../core/pdf/open-pdf.js';
import { DEFAULT_LIMITS } from '../core/intake/limits.js';
import { median, peakRssMb, SHARED, writeResults } from './bench-util.js';
import { isProblem } from '../core/intake/is-problem.js';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const STAGES = ['open', 'parse', 'layout', 'tables', 'mapping', 'checks'] as const;

interface SetFigures {
  set: string;
  docs: number;
  pages: number;
  docq: { msPerPage: number; pagesPerSecond: number; stagesMsPerPage: Record<string, number> };
  pdfjsFloor: { msPerPage: number; pagesPerSecond: number };
  ratioToFloor: number;
  pdftotext: { msPerPage: number; pagesPerSecond: number } | null;
}

function corpusSets(): { set: string; files: string[] }[] {
  const dev = join(SHARED, 'corpus/dev');
  const real = join(SHARED, 'corpus/real/gov_annual_reports');
  return [
    {
      set: 'dev-digital',
      files: readdirSync(dev)
        .map((d) => join(dev, d, 'digital.pdf'))
        .filter(existsSync),
    },
    {
      set: 'real-reports',
      files: readdirSync(real)
        .filter((f) => f.endsWith('.pdf'))
        .map((f) => join(real, f)),
    },
  ];
}

/** pdf.js alone: open, then per page getTextContent + getOperatorList — what a ruling-line reader must pay. */
async function pdfjsFloor(bytes: Uint8Array): Promise<number> {
  const t0 = performance.now();
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (isProblem(opened)) throw new Error(opened.message);
  try {
    for (let n = 1; n <= opened.numPages; n++) {
      const page = await opened.getPage(n);
      await page.getTextContent();
      await page.getOperatorList();
      page.cleanup();
    }
  } finally {
    await opened.destroy();
  }
  return performance.now() - t0;
}

function pdftotextMs(path: string): number | null {
  try {
    const t0 = performance.now();
    execFileSync('pdftotext', ['-layout', path, '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
    return performance.now() - t0;
  } catch {
    return null;
  }
}

async function benchSet(set: string, files: string[]): Promise<SetFigures> {
  let pages = 0;
  const docqTimes: number[] = [];
  const floorTimes: number[] = [];
  const textTimes: number[] = [];
  const stageSums: Record<string, number[]> = Object.fromEntries(STAGES.map((s) => [s, []]));
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    const warm = await extractDocument({ bytes, name: file });
    await pdfjsFloor(bytes);
    pages += warm.pages.length;
    const d: number[] = [];
    const f: number[] = [];
    const p: number[] = [];
    const stageRuns: Record<string, number[]> = Object.fromEntries(STAGES.map((s) => [s, []]));
    for (let r = 0; r < RUNS; r++) {
      // Interleave the two so machine noise hits both alike.
      const t0 = performance.now();
      const doc = await extractDocument({ bytes, name: file });
      d.push(performance.now() - t0);
      for (const s of STAGES) stageRuns[s]?.push(doc.timings[s] ?? 0);
      f.push(await pdfjsFloor(bytes));
      const pt = pdftotextMs(file);
      if (pt !== null) p.push(pt);
    }
    docqTimes.push(median(d));
    floorTimes.push(median(f));
    if (p.length) textTimes.push(median(p));
    for (const s of STAGES) stageSums[s]?.push(median(stageRuns[s] ?? []));
    process.stderr.write(
      `  ${set} ${basename(file)}: ${warm.pages.length} p, docq ${median(d).toFixed(0)} ms, floor ${median(f).toFixed(0)} ms\n`,
    );
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const per = (ms: number) => ({
    msPerPage: +(ms / pages).toFixed(2),
    pagesPerSecond: +((pages * 1000) / ms).toFixed(2),
  });
  const docq = per(sum(docqTimes));
  const floor = per(sum(floorTimes));
  return {
    set,
    docs: files.length,
    pages,
    docq: {
      ...docq,
      stagesMsPerPage: Object.fromEntries(STAGES.map((s) => [s, +(sum(stageSums[s] ?? []) / pages).toFixed(2)])),
    },
    pdfjsFloor: floor,
    ratioToFloor: +(sum(docqTimes) / sum(floorTimes)).toFixed(3),
    pdftotext: textTimes.length === files.length ? per(sum(textTimes)) : null,
  };
}

const figures: SetFigures[] = [];
for (const { set, files } of corpusSets()) figures.push(await benchSet(set, files));
const result = { runs: RUNS, sets: figures, peakRssMb: peakRssMb() };
for (const f of figures) {
  console.log(
    `${f.set.padEnd(13)} ${f.docs} docs ${f.pages} pages | docq ${f.docq.pagesPerSecond} p/s (${f.docq.msPerPage} ms/p) | pdf.js floor ${f.pdfjsFloor.pagesPerSecond} p/s | ratio ${f.ratioToFloor}× | pdftotext ${f.pdftotext?.pagesPerSecond ?? '-'} p/s`,
  );
  console.log(
    `${''.padEnd(13)} stages ms/page: ${Object.entries(f.docq.stagesMsPerPage)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}
console.log(`peak RSS ${result.peakRssMb} MB`);
console.log(`written ${await writeResults('extract-digital', result)}`);
