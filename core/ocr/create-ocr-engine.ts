import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Tesseract from 'tesseract.js';
import { encodePgm } from './encode-pgm.js';
import type { GrayRaster } from './gray-raster.js';
import type {
  LineKind,
  LineOptions,
  LineReading,
  OcrEngine,
  OcrLine,
  OcrParagraph,
  OcrWord,
  PageOptions,
  PageReading,
  ReadOptions,
} from './ocr-engine.js';
import { joinCjk } from './join-cjk.js';
import { nativePageReader } from './native-page.js';
import { createTesseractPool, defaultWorkers, type TesseractMessages, type WorkerSetup } from './tesseract-pool.js';

/** Debian's tesseract-ocr-chi-sim / -eng (4.1.0, tessdata_fast): read tables clearly better than the npm best_int file (bench/results/traineddata.json). */
export const DEBIAN_TESSDATA = '/usr/share/tesseract-ocr/5/tessdata';

/** Which traineddata to load: Debian's files (default) or the npm package `@tesseract.js-data/chi_sim` 4.0.0_best_int. */
export type TraineddataSource = 'debian' | 'npm';

export interface OcrEngineOptions {
  /** Workers per setup (prose, label, digits); defaults to the number of cores. */
  readonly workers?: number;
  readonly traineddata?: TraineddataSource;
  /** Directory of the Debian-style traineddata files (callers pass TESSDATA_PREFIX); DEBIAN_TESSDATA when absent. */
  readonly tessdata?: string | undefined;
  /** Language for the digits-only setup; `eng` reads serif digits at least as well as chi_sim and loads faster. */
  readonly digitsLang?: 'eng' | 'chi_sim';
  /** tesseract's own messages (warnings such as "Detected 90 diacritics"): a debug log; dropped when absent. */
  readonly onMessage?: TesseractMessages;
  /**
   * Read the prose of pages that are mostly prose with Debian's tesseract CLI when it is installed
   * (default true): the same recogniser natively, ≈ 1.5× faster than the WASM build (native-page.ts).
   * False keeps every read in tesseract.js.
   */
  readonly nativePage?: boolean;
}

/**
 * The native prose pass pays a process start and traineddata load (≈ 0.1–0.2 CPU-s) that a page
 * mostly covered by tables does not win back: on the dev scans its prose pass cost more natively
 * (0.26 → 0.54 CPU-s on a 表三 page) and less on prose pages (4.4 → 2.6). Pages with at least this
 * share of their area outside tables are read natively.
 */
const NATIVE_MIN_PROSE_SHARE = 0.5;

/** Characters a numeric cell may hold: digits, the decimal point of 万元 amounts, signs of v2019's 本年增/减. */
export const DIGIT_WHITELIST = '0123456789.+-';

type Role = 'prose' | 'label' | 'digits';

function npmChiSimPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/chi_sim/package.json')), '4.0.0_best_int');
}

function setups(opts: OcrEngineOptions): Record<Role, WorkerSetup> {
  const source = opts.traineddata ?? 'debian';
  const tessdata = opts.tessdata !== undefined && opts.tessdata !== '' ? opts.tessdata : DEBIAN_TESSDATA;
  const chi: Pick<WorkerSetup, 'lang' | 'langPath' | 'gzip'> =
    source === 'debian'
      ? { lang: 'chi_sim', langPath: tessdata, gzip: false }
      : { lang: 'chi_sim', langPath: npmChiSimPath(), gzip: true };
  const digits: Pick<WorkerSetup, 'lang' | 'langPath' | 'gzip'> =
    (opts.digitsLang ?? 'eng') === 'eng' ? { lang: 'eng', langPath: tessdata, gzip: false } : chi;
  return {
    // PSM 3: full layout analysis; PSM 6 (the tesseract.js default) merges table rows into prose.
    prose: { ...chi, params: { tessedit_pageseg_mode: '3', preserve_interword_spaces: '0' } },
    // The empty whitelist is set explicitly: the second reading of a number lends this worker a digits whitelist per call.
    label: { ...chi, params: { tessedit_pageseg_mode: '7', tessedit_char_whitelist: '' } },
    digits: { ...digits, params: { tessedit_pageseg_mode: '7', tessedit_char_whitelist: DIGIT_WHITELIST } },
  };
}

function box(b: Tesseract.Bbox): { x0: number; y0: number; x1: number; y1: number } {
  return { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 };
}

function toWord(w: Tesseract.Word): OcrWord {
  const weakest = w.symbols.length > 0 ? Math.min(...w.symbols.map((s) => s.confidence)) / 100 : w.confidence / 100;
  return { text: w.text, confidence: w.confidence / 100, weakest, box: box(w.bbox) };
}

function toWords(page: Tesseract.Page): OcrWord[] {
  const out: OcrWord[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs)
      for (const line of para.lines) out.push(...line.words.filter((w) => w.text.trim() !== '').map(toWord));
  }
  return out;
}

function toPageReading(page: Tesseract.Page): PageReading {
  const paragraphs: OcrParagraph[] = [];
  let confSum = 0;
  let confN = 0;
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      const lines: OcrLine[] = [];
      for (const line of para.lines) {
        const words: OcrWord[] = line.words.filter((w) => w.text.trim() !== '').map(toWord);
        if (words.length === 0) continue;
        for (const w of words) {
          confSum += w.confidence;
          confN++;
        }
        lines.push({
          text: joinCjk(words.map((w) => w.text).join(' ')),
          confidence: line.confidence / 100,
          box: box(line.bbox),
          words,
        });
      }
      if (lines.length > 0) paragraphs.push({ box: box(para.bbox), confidence: para.confidence / 100, lines });
    }
  }
  return { paragraphs, confidence: confN > 0 ? confSum / confN : null };
}

function toLineReading(page: Tesseract.Page): LineReading {
  const symbols: Tesseract.Symbol[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs)
      for (const line of para.lines) for (const w of line.words) symbols.push(...w.symbols);
  }
  const text = joinCjk(page.text.replace(/\s+/g, ' ').trim());
  if (symbols.length === 0 || text === '') return { text, confidence: 0, weakest: 0 };
  const confs = symbols.map((s) => s.confidence / 100);
  return { text, confidence: confs.reduce((a, b) => a + b, 0) / confs.length, weakest: Math.min(...confs) };
}

/**
 * Start the OCR engine: tesseract.js workers (created on first use, then kept) for page prose,
 * cell labels and numeric cells, with traineddata read from local files only.
 */
export async function createOcrEngine(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
  const workers = Math.max(1, opts.workers ?? defaultWorkers());
  const roleSetups = setups(opts);
  for (const s of Object.values(roleSetups)) {
    const file = join(s.langPath, `${s.lang}.traineddata${s.gzip ? '.gz' : ''}`);
    if (!existsSync(file))
      throw new Error(
        `traineddata not found: ${file} (install tesseract-ocr-chi-sim and -eng, or set TESSDATA_PREFIX)`,
      );
  }
  const pool = createTesseractPool(roleSetups, workers, opts.onMessage);
  const native =
    opts.nativePage !== false && (opts.traineddata ?? 'debian') === 'debian'
      ? nativePageReader(roleSetups.prose.langPath, opts.onMessage)
      : null;
  let calls = 0;
  let busyMs = 0;

  async function timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    calls++;
    try {
      return await call();
    } finally {
      busyMs += performance.now() - started;
    }
  }

  function run(
    role: Role,
    image: GrayRaster,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Tesseract.Page> {
    return timed(() => pool.recognize(role, encodePgm(image), params, signal));
  }

  return {
    workers,
    traineddata: `${opts.traineddata ?? 'debian'}+${opts.digitsLang ?? 'eng'}-digits${native ? '+native-page' : ''}`,
    async readPage(image: GrayRaster, dpi: number, opts: PageOptions = {}): Promise<PageReading> {
      if (native && (opts.proseShare ?? 1) >= NATIVE_MIN_PROSE_SHARE) {
        opts.signal?.throwIfAborted();
        // A CLI that fails (killed, out of memory) leaves the page to tesseract.js rather than without prose;
        // one killed at the page's deadline leaves it to nobody.
        const read = await timed(() => native.readPage(image, dpi, opts.signal)).catch(() => null);
        opts.signal?.throwIfAborted();
        if (read) return read;
      }
      return toPageReading(await run('prose', image, { user_defined_dpi: String(Math.round(dpi)) }, opts.signal));
    },
    async readLine(
      image: GrayRaster,
      kind: LineKind,
      dpi: number,
      rows = 1,
      opts: LineOptions = {},
    ): Promise<LineReading> {
      const psm = kind === 'label' && rows > 1 ? '6' : '7';
      const params = { user_defined_dpi: String(Math.round(dpi)), tessedit_pageseg_mode: psm };
      // The second recogniser for numbers: the CJK model constrained to the digits whitelist.
      const second = kind === 'digits' && opts.second === true;
      const reading = toLineReading(
        await run(
          second ? 'label' : kind,
          image,
          second ? { ...params, tessedit_char_whitelist: DIGIT_WHITELIST } : params,
          opts.signal,
        ),
      );
      // One cell holds one number: spaces inside it are wide kerning, not separators.
      return kind === 'digits' ? { ...reading, text: reading.text.replace(/\s/g, '') } : reading;
    },
    async readWords(
      image: GrayRaster,
      kind: LineKind,
      dpi: number,
      opts: ReadOptions = {},
    ): Promise<readonly OcrWord[]> {
      const params = { user_defined_dpi: String(Math.round(dpi)), tessedit_pageseg_mode: '7' };
      return toWords(await run(kind, image, params, opts.signal));
    },
    stats: () => {
      return { calls, busyMs, ...pool.stats() };
    },
    terminate: () => pool.terminate(),
  };
}
