/**
 * OCR speed by scan profile, split by stage and by recogniser call kind, with native tesseract (one
 * thread, full page, PSM 3) on the same pages in the same run as the reference; plus the traineddata
 * comparison (Debian vs npm). The headline figures are CPU-seconds (docq: the whole process, worker
 * threads and its native prose-pass children included; native: the child's user + system time), which a loaded machine inflates far less
 * than wall time; wall seconds are kept beside them. Calls are serialised so each one's CPU is its own.
 * Run: npx tsx bench/ocr.ts [--quick | --docs synth-1-0,synth-2019-0] [--traineddata]
 * (default: every dev document's scan-light and scan-heavy; --quick: four documents, one per family).
 * Writes bench/results/ocr.json (and bench/results/traineddata.json with --traineddata).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Table } from '../core/model/index.js';
import { createOcrEngine, type OcrEngineOptions } from '../core/ocr/create-ocr-engine.js';
import { cpuMs } from '../core/ocr/cpu-time.js';
import type { OcrEngine } from '../core/ocr/ocr-engine.js';
import { encodePgm } from '../core/ocr/encode-pgm.js';
import { ocrPdfPage, type OcrStageTimings } from '../core/ocr/ocr-page.js';
import { indexPdfObjects, loadPageRaster, type ImagePage } from '../core/pdf/page-image.js';
import { mapReport } from '../core/report/map-report.js';
import { compareTables, DEV, devDocs, open, truthTables } from './corpus-truth.js';
import { proseCer, truthProse } from './prose-cer.js';

const KINDS = ['scan-light', 'scan-heavy'] as const;
/** A page with this many table cells is a 表三 page (the dense applications table). */
const TABLE_THREE_CELLS = 100;

type Stage = 'load' | 'prepare' | 'grid' | 'recognise' | 'map';
const STAGES: readonly Stage[] = ['load', 'prepare', 'grid', 'recognise', 'map'];
/** Recogniser call kinds: the prose pass, the upright scorer's strips, cell readings by setup. */
const CALL_KINDS = ['page', 'upright', 'digits', 'label', 'second'] as const;
type CallKind = (typeof CALL_KINDS)[number];
type Tally = Record<CallKind, { calls: number; cpu: number }>;

interface PageRun {
  doc: string;
  kind: string;
  page: number;
  seconds: number;
  cpuSeconds: number;
  stages: Record<Stage, number>;
  cpuStages: Record<Stage, number>;
  calls: number;
  byCall: Tally;
  cells: number;
  numericCells: number;
  correctCells: number;
  tableThree: boolean;
  nativeSeconds: number | null;
  nativeCpuSeconds: number | null;
}

const argv = process.argv.slice(2);
const docsArg = argv[argv.indexOf('--docs') + 1];
const QUICK = ['synth-1-0', 'synth-2019-0', 'synth-21x-0', 'seed-0'];
const docs =
  argv.includes('--docs') && docsArg
    ? docsArg.split(',')
    : argv.includes('--quick')
      ? QUICK
      : [...devDocs('seed-'), ...devDocs('synth-')];
const tmp = join(tmpdir(), `docq-bench-ocr-${process.pid}`);
mkdirSync(tmp, { recursive: true });

const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

const cpuNow = (): number => cpuMs() / 1000;
const emptyTally = (): Tally => Object.fromEntries(CALL_KINDS.map((k) => [k, { calls: 0, cpu: 0 }])) as Tally;

/**
 * The engine with its calls run one at a time, each call's process CPU added to its kind: the
 * recogniser's threads are in this process, so the CPU between a call's start and end is its own
 * (plus what the main thread does meanwhile, which is little: crops are cut before the calls wait).
 */
function tallied(engine: OcrEngine): { engine: OcrEngine; tally: () => Tally; reset: () => void } {
  let tally = emptyTally();
  let chain: Promise<unknown> = Promise.resolve();
  const timed = <T>(kind: CallKind, call: () => Promise<T>): Promise<T> => {
    const run = chain.then(async () => {
      const c = cpuNow();
      try {
        return await call();
      } finally {
        tally[kind].calls++;
        tally[kind].cpu += cpuNow() - c;
      }
    });
    chain = run.catch(() => undefined);
    return run;
  };
  return {
    engine: {
      ...engine,
      readPage: (image, dpi, opts) => timed('page', () => engine.readPage(image, dpi, opts)),
      readLine: (image, kind, dpi, rows, opts) =>
        timed(opts?.second === true ? 'second' : kind, () => engine.readLine(image, kind, dpi, rows, opts)),
      readWords: (image, kind, dpi) => timed('upright', () => engine.readWords(image, kind, dpi)),
      stats: () => engine.stats(),
      terminate: () => engine.terminate(),
    },
    tally: () => tally,
    reset: () => {
      tally = emptyTally();
    },
  };
}

/** A page's stage milliseconds in seconds; what the page took beyond them is loading its image. */
function inSeconds(ms: OcrStageTimings, total: number): Record<Stage, number> {
  const [prepare, grid, recognise] = [ms.prepare / 1000, ms.grid / 1000, ms.recognise / 1000];
  return { load: total - prepare - grid - recognise, prepare, grid, recognise, map: 0 };
}

/** The shell's reaped-children CPU (cutime + cstime, /proc/<pid>/stat fields 16–17) after it ran the command. */
const CHILD_CPU = 'cat /proc/$$/stat';
const CLOCK_TICKS = 100;

/** Native tesseract (one thread) on the same embedded page image, PSM 3, the reference figure: wall and CPU seconds. */
async function nativeSeconds(
  pdfPath: string,
  pageNumber: number,
): Promise<{ seconds: number; cpuSeconds: number } | null> {
  const pdf = await open(pdfPath);
  try {
    const bytes = await pdf.proxy.getData();
    const page = await pdf.getPage(pageNumber);
    const loaded = await loadPageRaster(indexPdfObjects(bytes), page as unknown as ImagePage, pageNumber);
    if (loaded.status !== 'ok') return null;
    const file = join(tmp, 'page.pgm');
    writeFileSync(file, encodePgm(loaded.raster));
    const t = performance.now();
    const args = [file, '-', '-l', 'chi_sim', '--psm', '3', '--dpi', String(loaded.raster.dpi)];
    const r = spawnSync('sh', ['-c', `tesseract "$@" >/dev/null 2>&1; ${CHILD_CPU}`, 'sh', ...args], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      encoding: 'utf8',
    });
    const seconds = (performance.now() - t) / 1000;
    const fields = r.stdout.slice(r.stdout.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
    return Number.isFinite(cpuSeconds) ? { seconds, cpuSeconds } : null;
  } finally {
    await pdf.destroy();
  }
}

async function speed(): Promise<PageRun[]> {
  const base = await createOcrEngine({ workers: 1 });
  engineName = base.traineddata;
  const { engine, tally, reset } = tallied(base);
  const runs: PageRun[] = [];
  try {
    // Warm-up: start every worker setup on a table page (labels and digits), uncounted.
    const warm = await open(join(DEV, docs[0]!, 'scan-light.pdf'));
    await ocrPdfPage(warm, Math.min(2, warm.numPages), engine);
    await warm.destroy();
    for (const doc of docs) {
      const truth = await truthTables(doc);
      for (const kind of KINDS) {
        const path = join(DEV, doc, `${kind}.pdf`);
        const pdf = await open(path);
        const pages: Page[] = [];
        const tables: Table[] = [];
        const docRuns: PageRun[] = [];
        try {
          for (let n = 1; n <= pdf.numPages; n++) {
            reset();
            const t = performance.now();
            const c = cpuNow();
            const r = await ocrPdfPage(pdf, n, engine);
            const seconds = (performance.now() - t) / 1000;
            const cpuSeconds = cpuNow() - c;
            pages.push(r.page);
            tables.push(...r.tables);
            const cells = r.tables.reduce((s, x) => s + x.cells.length, 0);
            const outcome = compareTables(doc, kind, n, truth.get(n) ?? [], r.tables);
            docRuns.push({
              doc,
              kind,
              page: n,
              seconds,
              cpuSeconds,
              calls: r.calls,
              byCall: tally(),
              cells,
              numericCells: outcome.length,
              correctCells: outcome.filter((o) => o.correct).length,
              tableThree: cells >= TABLE_THREE_CELLS,
              nativeSeconds: null,
              nativeCpuSeconds: null,
              stages: inSeconds(r.timings, seconds),
              cpuStages: inSeconds(r.cpu, cpuSeconds),
            });
          }
        } finally {
          await pdf.destroy();
        }
        const t = performance.now();
        const c = cpuNow();
        mapReport(pages, tables);
        const mapPerPage = (performance.now() - t) / 1000 / Math.max(1, docRuns.length);
        const mapCpuPerPage = (cpuNow() - c) / Math.max(1, docRuns.length);
        for (const run of docRuns) {
          run.stages.map = mapPerPage;
          run.seconds += mapPerPage;
          run.cpuStages.map = mapCpuPerPage;
          run.cpuSeconds += mapCpuPerPage;
          const native = await nativeSeconds(path, run.page);
          run.nativeSeconds = native?.seconds ?? null;
          run.nativeCpuSeconds = native?.cpuSeconds ?? null;
          const f = (x: number | null): string => x?.toFixed(2) ?? '—';
          console.log(
            `${doc} ${kind} p${run.page}: CPU ${f(run.cpuSeconds)} s (prepare ${f(run.cpuStages.prepare)}, grid ${f(run.cpuStages.grid)}, recognise ${f(run.cpuStages.recognise)}), ${run.calls} calls, ${run.correctCells}/${run.numericCells} cells right; native CPU ${f(run.nativeCpuSeconds)} s; wall ${f(run.seconds)} / ${f(run.nativeSeconds)} s`,
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

function figures(rs: readonly PageRun[]): Record<string, unknown> {
  const cpu = mean(rs.map((r) => r.cpuSeconds));
  const nativeCpu = mean(rs.map((r) => r.nativeCpuSeconds ?? 0));
  const numeric = rs.reduce((s, r) => s + r.numericCells, 0);
  return {
    pages: rs.length,
    cpuSecondsPerPage: r3(cpu),
    nativeCpuSecondsPerPage: r3(nativeCpu),
    cpuRatio: r3(cpu / Math.max(1e-9, nativeCpu)),
    secondsPerPage: r3(mean(rs.map((r) => r.seconds))),
    nativeSecondsPerPage: r3(mean(rs.map((r) => r.nativeSeconds ?? 0))),
    wallRatio: r3(mean(rs.map((r) => r.seconds)) / Math.max(1e-9, mean(rs.map((r) => r.nativeSeconds ?? 0)))),
    cpuStages: Object.fromEntries(STAGES.map((s) => [s, r3(mean(rs.map((r) => r.cpuStages[s])))])),
    stages: Object.fromEntries(STAGES.map((s) => [s, r3(mean(rs.map((r) => r.stages[s])))])),
    callsPerPage: r3(mean(rs.map((r) => r.calls))),
    byCallPerPage: Object.fromEntries(
      CALL_KINDS.map((k) => [
        k,
        { calls: r3(mean(rs.map((r) => r.byCall[k].calls))), cpuSeconds: r3(mean(rs.map((r) => r.byCall[k].cpu))) },
      ]),
    ),
    tableThreeCpuSeconds: r3(mean(rs.filter((r) => r.tableThree).map((r) => r.cpuSeconds))),
    numericCells: numeric,
    numericCellsCorrect: r3(rs.reduce((s, r) => s + r.correctCells, 0) / Math.max(1, numeric)),
  };
}

function summarise(runs: PageRun[]): Record<string, unknown> & { pages: unknown } {
  return {
    generatedAt: new Date().toISOString(),
    node: process.version,
    workers: 1,
    engine: engineName,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    docs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    all: figures(runs),
    byKind: Object.fromEntries(KINDS.map((k) => [k, figures(runs.filter((r) => r.kind === k))])),
    pages: runs.map((r) => ({ ...r, seconds: r3(r.seconds), cpuSeconds: r3(r.cpuSeconds) })),
  };
}

let engineName = '';
const loadAverageBefore = loadavg().map((x) => Math.round(x * 100) / 100);
try {
  const runs = await speed();
  const summary = { loadAverageBefore, ...summarise(runs) };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ocr.json', JSON.stringify(summary, null, 1));
  const { pages: _pages, ...head } = summary;
  console.log(JSON.stringify(head, null, 1));
  if (argv.includes('--traineddata')) {
    const td = await traineddata();
    writeFileSync(
      'bench/results/traineddata.json',
      JSON.stringify({ generatedAt: new Date().toISOString(), docs: docs.slice(0, 2), setups: td }, null, 1),
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
