/**
 * Fax-quality scans of the dev corpus, for the scorer's `scan-fax` kind (the dev corpus has none).
 *
 *   npx tsx bench/make-fax-scans.ts [outDir=/tmp/docq-fax] [--docs <glob-prefix>]
 *   npx tsx bench/make-fax-scans.ts [outDir] --score <label> [--docs synth-1-*] [--root <checkout>]   (hold /tmp/cpu.lock)
 *   npx tsx bench/make-fax-scans.ts [outDir] --score <label> --outputs <dir>   (score <dir>/<doc>/scan-fax.json kept from a run)
 *
 * Each synth document's digital.pdf becomes <outDir>/<doc>/scan-fax.pdf (+ gt.json beside it): pages
 * rendered by pdftoppm, a small skew and paper-feed stretch, a fax header line, resampled to fax
 * lines (204×196 "fine" or 204×98 "standard", non-square pixels shown by the page size), a fixed
 * threshold to 1 bit, salt-and-pepper specks, dropped scanlines and a sensor streak. Pages cycle
 * through the encodings fax and scanner PDFs use: CCITT G4 (BlackIs1, or a /Decode [1 0] inversion),
 * 1-bit Flate (plain and with PNG predictors), and /ImageMask stencils (G4 and Flate).
 * `--score` runs the scorer on outDir and merges its SUMMARY line and seconds per page into
 * bench/results/fax.json under <label>.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { recordRun, SHARED } from './bench-util.js';
import { addFaxPage, ENCODINGS, faxify, FAX_XDPI, hash } from './fax-pdf.js';

/**
 * A fax of `pdf` as received: pages rendered by pdftoppm, landscape sheets fed portrait, each page
 * faxified at `ydpi` (196 fine, 98 standard) and written in one of the fax encodings in turn.
 */
export async function faxPdf(pdf: string, opts: { key: string; docIndex: number; ydpi: number }): Promise<Uint8Array> {
  const work = mkdtempSync(join(tmpdir(), 'fax-'));
  try {
    execFileSync('pdftoppm', ['-r', String(FAX_XDPI), '-gray', '-png', pdf, join(work, 'p')]);
    const files = readdirSync(work)
      .filter((f) => f.endsWith('.png'))
      .sort();
    const out = await PDFDocument.create();
    for (let i = 0; i < files.length; i++) {
      let img = sharp(join(work, files[i]!)).toColourspace('b-w');
      const meta = await sharp(join(work, files[i]!)).metadata();
      // Landscape sheets go through the machine portrait, content turned 90° counter-clockwise.
      if ((meta.width ?? 0) > (meta.height ?? 0)) img = img.rotate(-90);
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      const seed = hash(`${opts.key}/${i}`);
      const d = opts.docIndex;
      const header = `2024-03-${String(5 + (d % 20)).padStart(2, '0')} 10:${String(10 + i).padStart(2, '0')}  FROM: 0517-8390${String(1000 + d).slice(-4)}  政府办公室  P.${String(i + 1).padStart(3, '0')}/${String(files.length).padStart(3, '0')}`;
      const page = await faxify(data, info.width, info.height, {
        ydpi: opts.ydpi,
        seed,
        header,
        streak: (d + i) % 4 === 1,
      });
      await addFaxPage(out, page, ENCODINGS[(d + i) % ENCODINGS.length]!);
    }
    return await out.save({ useObjectStreams: false });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The synth documents of a corpus in the order that seeds their faxes (a document's index in it). */
export function synthDocs(corpus: string): string[] {
  return readdirSync(corpus)
    .filter((d) => d.startsWith('synth-'))
    .sort();
}

/** The dev fax of `doc` (its folder in `corpus`), as this bench writes it. */
export function devFax(corpus: string, doc: string): Promise<Uint8Array> {
  const docIndex = synthDocs(corpus).indexOf(doc);
  // Standard resolution on every third document: the coarse mode many senders leave on.
  return faxPdf(join(corpus, doc, 'digital.pdf'), { key: doc, docIndex, ydpi: docIndex % 3 === 2 ? 98 : 196 });
}

async function makeDoc(corpus: string, doc: string, outDir: string): Promise<number> {
  const bytes = await devFax(corpus, doc);
  mkdirSync(join(outDir, doc), { recursive: true });
  writeFileSync(join(outDir, doc, 'scan-fax.pdf'), bytes);
  copyFileSync(join(corpus, doc, 'gt.json'), join(outDir, doc, 'gt.json'));
  return pageCount(join(outDir, doc, 'scan-fax.pdf'));
}

function pageCount(pdf: string): number {
  const info = execFileSync('pdfinfo', [pdf]).toString();
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
}

/** Runs the scorer on outDir and merges its SUMMARY and seconds per page into bench/results/fax.json. */
function score(outDir: string, docs: string, label: string, root: string, outputs?: string): void {
  const t0 = performance.now();
  const source = outputs ? ['--outputs', outputs] : ['--cmd', 'node bin/docq.js extract --json {input}'];
  const r = spawnSync(
    'python3',
    [join(SHARED, 'tools', 'score.py'), '--corpus', outDir, '--kinds', 'scan-fax', '--docs', docs, ...source],
    { encoding: 'utf8', cwd: root },
  );
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(r.stdout);
  const summary = /^SUMMARY scan-fax: .*$/m.exec(r.stdout)?.[0];
  if (!summary) throw new Error(`scorer printed no SUMMARY: ${r.stderr}`);
  const folders = readdirSync(outDir).filter(
    (d) => new RegExp(`^${docs.replace(/\*/g, '.*')}$`).test(d) && existsSync(join(outDir, d, 'scan-fax.pdf')),
  );
  const pages = folders.reduce((n, d) => n + pageCount(join(outDir, d, 'scan-fax.pdf')), 0);
  // Kept outputs carry no timing: only a run that extracts measures seconds per page.
  recordRun(
    'fax',
    'bench/make-fax-scans.ts --score <label>: scorer on fax-like scans of the dev synth docs, wall seconds per page on this 2-core machine (whole CLI runs, start-up included)',
    label,
    () => ({
      at: new Date().toISOString(),
      docs,
      pages,
      summary,
      ...(outputs ? { outputs } : { secondsPerPage: Math.round((seconds / pages) * 100) / 100 }),
    }),
  );
  console.log(`${label}: ${pages} pages${outputs ? '' : `, ${(seconds / pages).toFixed(2)} s/page`}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const label = flag('--score');
  const root = flag('--root') ?? process.cwd();
  const docs = flag('--docs') ?? 'synth-*';
  const outputs = flag('--outputs');
  const outDir = args[0] ?? '/tmp/docq-fax';
  if (label !== undefined) return score(outDir, docs, label, root, outputs);
  const corpus = join(SHARED, 'corpus', 'dev');
  const re = new RegExp(`^${docs.replace(/\*/g, '.*')}$`);
  for (const doc of synthDocs(corpus)) {
    if (!re.test(doc)) continue;
    const n = await makeDoc(corpus, doc, outDir);
    console.log(`${doc}: ${n} pages`);
  }
}

if (process.argv[1]?.endsWith('make-fax-scans.ts')) await main();
