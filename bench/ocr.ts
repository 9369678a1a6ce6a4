/**
 * OCR speed on one core (one worker per setup, warm) by scan profile, split by stage, with native
 * tesseract on the same pages as the reference; plus the traineddata comparison (Debian vs npm).
 * Run: npx tsx bench/ocr.ts [--docs synth-1-0,synth-2019-0] [--no-traineddata]
 * Writes bench/results/ocr.json and bench/results/traineddata.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Table } from '../core/model/index.js';
import { createOcrEngine, type OcrEngineOptions } from '../core/ocr/create-ocr-engine.js';
import { encodePgm } from '../core/ocr/encode-pgm.js';
import { ocrPdfPage } from '../core/ocr/ocr-page.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../core/pdf/page-image.js';
import { mapReport } from '../core/report/map-report.js';
import { compareTables, DEV, open, truthTables } from './corpus-truth.js';
import { proseCer, truthProse } from './prose-cer.js';

const KINDS = ['scan-light', 'scan-heavy'] as const;
/** A page with this many table cells is a 表三 page (the dense applications table). */
const TABLE_THREE_CELLS = 100;

interface PageRun {
  doc: string;
  kind: string;
  page: number;
  seconds: number;
  stages: { load: number; prepare: number; grid: number; recognise: number; map: number };
  calls: number;
  cells: number;
  tableThree: boolean;
  nativeSeconds: number | null;
}

const argv = process.argv.slice(2);
const docsArg = argv[argv.indexOf('--docs') + 1];
const docs = argv.includes('--docs') && docsArg ? docsArg.split(',') : ['synth-1-0', 'synth-2019-0'];
const tmp = join(tmpdir(), `docq-bench-ocr-${process.pid}`);
mkdirSync(tmp, { recursive: true });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : ((s[Math.floor((s.length - 1) / 2)] ?? 0) + (s[Math.ceil((s.length - 1) / 2)] ?? 0)) / 2;
};
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Native tesseract (one thread) on the same embedded page image, PSM 3, the reference figure. */
async function nativeSeconds(pdfPath: string, pageNumber: number): Promise<number | null> {
  const pdf = await open(pdfPath);
  try {
    const bytes = await pdf.proxy.getData();
    const page = await pdf.getPage(pageNumber);
    const loaded = await loadPageRaster(indexPdfObjects(bytes), page as unknown as ImagePage, pageNumber);
    if (loaded.status !== 'ok') return null;
    const file = join(tmp, 'page.pgm');
    writeFileSync(file, encodePgm(loaded.raster));
    const t = performance.now();
    execFileSync('tesseract', [file, '-', '-l', 'chi_sim', '--psm', '3', '--dpi', String(loaded.raster.dpi)], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    return (performance.now() - t) / 1000;
  } finally {
    await pdf.destroy();
  }
}

async function speed(): Promise<PageRun[]> {
  const engine = await createOcrEngine({ workers: 1 });
  const runs: PageRun[] = [];
  try {
    // Warm-up: start every worker setup and read one page, uncounted.
    const warm = await open(join(DEV, docs[0]!, 'scan-light.pdf'));
    for (let n = 1; n <= warm.numPages; n++) await ocrPdfPage(warm, n, engine);
    await warm.destroy();
    for (const doc of docs) {
      for (const kind of KINDS) {
        const path = join(DEV, doc, `${kind}.pdf`);
        const pdf = await open(path);
        const pages: Page[] = [];
        const tables: Table[] = [];
        const docRuns: PageRun[] = [];
        try {
          for (let n = 1; n <= pdf.numPages; n++) {
            const t = performance.now();
            const r = await ocrPdfPage(pdf, n, engine);
            const seconds = (performance.now() - t) / 1000;
            pages.push(r.page);
            tables.push(...r.tables);
            const staged = (r.timings.prepare + r.timings.grid + r.timings.recognise) / 1000;
            const cells = r.tables.reduce((s, x) => s + x.cells.length, 0);
            docRuns.push({
              doc,
              kind,
              page: n,
              seconds,
              calls: r.calls,
              cells,
              tableThree: cells >= TABLE_THREE_CELLS,
              nativeSeconds: null,
              stages: {
                load: seconds - staged,
                prepare: r.timings.prepare / 1000,
                grid: r.timings.grid / 1000,
                recognise: r.timings.recognise / 1000,
                map: 0,
              },
            });
          }
        } finally {
          await pdf.destroy();
        }
        const t = performance.now();
        mapReport(pages, tables);
        const mapPerPage = (performance.now() - t) / 1000 / Math.max(1, docRuns.length);
        for (const run of docRuns) {
          run.stages.map = mapPerPage;
          run.seconds += mapPerPage;
          run.nativeSeconds = await nativeSeconds(path, run.page);
          console.log(
            `${doc} ${kind} p${run.page}: ${run.seconds.toFixed(2)} s (prepare ${run.stages.prepare.toFixed(2)}, grid ${run.stages.grid.toFixed(2)}, recognise ${run.stages.recognise.toFixed(2)}), ${run.calls} calls, ${run.cells} cells; native ${run.nativeSeconds?.toFixed(2) ?? '—'} s`,
          );
        }
        runs.push(...docRuns);
      }
    }
  } finally {
    await engine.terminate();
  }
  return runs;
}

async function traineddata(): Promise<unknown[]> {
  const setups: Array<{ name: string; opts: OcrEngineOptions }> = [
    { name: 'debian chi_sim 4.1.0 + eng digits', opts: { traineddata: 'debian', digitsLang: 'eng' } },
    { name: 'debian chi_sim 4.1.0 (digits too)', opts: { traineddata: 'debian', digitsLang: 'chi_sim' } },
    { name: 'npm chi_sim 4.0.0_best_int (digits too)', opts: { traineddata: 'npm', digitsLang: 'chi_sim' } },
  ];
  const out: unknown[] = [];
  for (const setup of setups) {
    const engine = await createOcrEngine({ workers: 1, ...setup.opts });
    const perKind: Record<
      string,
      { cells: number; correct: number; proseChars: number; proseEdits: number; seconds: number }
    > = {};
    try {
      for (const doc of docs.slice(0, 2)) {
        const truth = await truthTables(doc);
        const prose = await truthProse(doc);
        for (const kind of KINDS) {
          const acc = (perKind[kind] ??= { cells: 0, correct: 0, proseChars: 0, proseEdits: 0, seconds: 0 });
          const pdf = await open(join(DEV, doc, `${kind}.pdf`));
          try {
            for (let n = 1; n <= pdf.numPages; n++) {
              const t = performance.now();
              const r = await ocrPdfPage(pdf, n, engine);
              acc.seconds += (performance.now() - t) / 1000;
              const got = compareTables(doc, kind, n, truth.get(n) ?? [], r.tables);
              acc.cells += got.length;
              acc.correct += got.filter((c) => c.correct).length;
              const cer = proseCer(prose.get(n) ?? '', r.page.text);
              acc.proseChars += cer.chars;
              acc.proseEdits += cer.edits;
            }
          } finally {
            await pdf.destroy();
          }
        }
      }
    } finally {
      await engine.terminate();
    }
    const row = {
      setup: setup.name,
      byKind: Object.fromEntries(
        Object.entries(perKind).map(([k, v]) => [
          k,
          {
            cellAccuracy: r3(v.correct / Math.max(1, v.cells)),
            cells: v.cells,
            proseCer: r3(v.proseEdits / Math.max(1, v.proseChars)),
            secondsPerPage: r3(v.seconds / 3 / 2),
          },
        ]),
      ),
    };
    console.log(JSON.stringify(row));
    out.push(row);
  }
  return out;
}

function summarise(runs: PageRun[]): unknown {
  const byKind = Object.fromEntries(
    KINDS.map((k) => {
      const rs = runs.filter((r) => r.kind === k);
      return [
        k,
        {
          pages: rs.length,
          secondsPerPage: r3(mean(rs.map((r) => r.seconds))),
          medianSecondsPerPage: r3(median(rs.map((r) => r.seconds))),
          stages: Object.fromEntries(
            (['load', 'prepare', 'grid', 'recognise', 'map'] as const).map((s) => [
              s,
              r3(mean(rs.map((r) => r.stages[s]))),
            ]),
          ),
          callsPerPage: r3(mean(rs.map((r) => r.calls))),
          tableThreeSeconds: r3(mean(rs.filter((r) => r.tableThree).map((r) => r.seconds))),
          nativeSecondsPerPage: r3(mean(rs.map((r) => r.nativeSeconds ?? 0))),
        },
      ];
    }),
  );
  return {
    generatedAt: new Date().toISOString(),
    node: process.version,
    workers: 1,
    docs,
    allPagesSecondsPerPage: r3(mean(runs.map((r) => r.seconds))),
    tableThreeSecondsPerPage: r3(mean(runs.filter((r) => r.tableThree).map((r) => r.seconds))),
    nativeSecondsPerPage: r3(mean(runs.map((r) => r.nativeSeconds ?? 0))),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    byKind,
    pages: runs.map((r) => ({ ...r, seconds: r3(r.seconds) })),
  };
}

try {
  const runs = await speed();
  const summary = summarise(runs);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ocr.json', JSON.stringify(summary, null, 1));
  const { pages: _pages, ...head } = summary as { pages: unknown };
  console.log(JSON.stringify(head, null, 1));
  if (!argv.includes('--no-traineddata')) {
    const td = await traineddata();
    writeFileSync(
      'bench/results/traineddata.json',
      JSON.stringify({ generatedAt: new Date().toISOString(), docs: docs.slice(0, 2), setups: td }, null, 1),
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
