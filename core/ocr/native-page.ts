import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodePgm } from './encode-pgm.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';
import { joinCjk } from './join-cjk.js';
import type { OcrLine, OcrParagraph, OcrWord, PageReading } from './ocr-engine.js';

/**
 * The full-page prose pass through Debian's tesseract CLI (the same engine and traineddata as the
 * WASM build, compiled natively): on the dev scans tesseract.js needs ≈ 1.5× the CPU of the native
 * binary for the same page (bench/ocr.ts), and the prose pass is the largest single recogniser cost
 * of a page. One process per page; its start (traineddata load) costs ≈ 0.1–0.2 CPU-s, so short
 * reads (cells, the upright scorer's strips: 0.2 s natively vs 0.15 s in tesseract.js) stay on the
 * tesseract.js workers.
 */
export interface NativePageReader {
  /** `tesseract --version`'s first line, for the record. */
  readonly version: string;
  /** The page's prose, full layout analysis (PSM 3); an aborted signal kills the process. */
  readPage(image: GrayRaster, dpi: number, signal?: AbortSignal): Promise<PageReading>;
}

/** Output limit for one page's TSV (a dense page is ≈ 200 KB). */
const MAX_TSV_BYTES = 64 * 1024 * 1024;

/**
 * The native reader when the `tesseract` CLI runs and `<tessdata>/chi_sim.traineddata` exists; null
 * otherwise. What the CLI prints on stderr ("Estimating resolution as …") goes to `onMessage`, as the
 * WASM workers' messages do (tesseract-pool.ts).
 */
export function nativePageReader(
  tessdata: string,
  onMessage: (line: string) => void = () => undefined,
): NativePageReader | null {
  if (!existsSync(join(tessdata, 'chi_sim.traineddata'))) return null;
  const probe = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0 || probe.error) return null;
  const version = `${probe.stdout}${probe.stderr}`.split('\n')[0]?.trim() ?? 'tesseract';
  const run = (image: GrayRaster, dpi: number, psm: string, signal: AbortSignal | undefined): Promise<PageReading> =>
    new Promise((resolve, reject) => {
      const args = ['stdin', 'stdout', '--tessdata-dir', tessdata, '-l', 'chi_sim', '--psm', psm];
      args.push('--dpi', String(Math.round(dpi)), '-c', 'preserve_interword_spaces=0', 'tsv');
      const child = execFile(
        'tesseract',
        args,
        // One thread, as one tesseract.js worker: pages run side by side across workers instead.
        {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
          maxBuffer: MAX_TSV_BYTES,
          encoding: 'utf8',
          ...(signal ? { signal } : {}),
        },
        (error, stdout, stderr) => {
          for (const line of stderr.split('\n')) if (line.trim() !== '') onMessage(line);
          if (signal?.aborted) reject(signal.reason);
          else if (error) reject(new Error(`native tesseract: ${error.message}`));
          else resolve(parseTsv(stdout));
        },
      );
      child.stdin?.on('error', () => undefined); // a failed start is reported by the callback
      child.stdin?.end(encodePgm(image));
    });
  return {
    version,
    readPage: (image, dpi, signal) => run(image, dpi, '3', signal),
  };
}

interface TsvWord extends OcrWord {
  readonly para: string;
  readonly line: string;
}

/** Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf, text) as paragraphs of lines of words. */
export function parseTsv(tsv: string): PageReading {
  const words: TsvWord[] = [];
  const lineBoxes = new Map<string, PixelBox>();
  const paraBoxes = new Map<string, PixelBox>();
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12) continue;
    const [level, , block, par, line] = f;
    const [left, top, width, height, conf] = f.slice(6, 11).map(Number) as [number, number, number, number, number];
    const box = { x0: left, y0: top, x1: left + width, y1: top + height };
    const paraKey = `${block}.${par}`;
    const lineKey = `${paraKey}.${line}`;
    if (level === '3') paraBoxes.set(paraKey, box);
    else if (level === '4') lineBoxes.set(lineKey, box);
    else if (level === '5') {
      const text = f.slice(11).join('\t');
      if (text.trim() === '') continue;
      // The CLI gives a word's confidence only; it stands for its weakest symbol too.
      words.push({ text, confidence: conf / 100, weakest: conf / 100, box, para: paraKey, line: lineKey });
    }
  }
  const paragraphs: OcrParagraph[] = [];
  const mean = (ws: readonly OcrWord[]): number => ws.reduce((s, w) => s + w.confidence, 0) / ws.length;
  for (const [paraKey, paraBox] of paraBoxes) {
    const lines: OcrLine[] = [];
    for (const [lineKey, lineBox] of lineBoxes) {
      if (!lineKey.startsWith(`${paraKey}.`)) continue;
      const ws = words.filter((w) => w.line === lineKey).map(({ para: _p, line: _l, ...w }) => w);
      if (ws.length === 0) continue;
      lines.push({ text: joinCjk(ws.map((w) => w.text).join(' ')), confidence: mean(ws), box: lineBox, words: ws });
    }
    if (lines.length > 0) paragraphs.push({ box: paraBox, confidence: mean(lines.flatMap((l) => l.words)), lines });
  }
  return { paragraphs, confidence: words.length > 0 ? mean(words) : null };
}
