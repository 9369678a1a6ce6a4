import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { lazyOcrEngine } from '../../workers/lazy-ocr-engine.js';
import { tesseractLog } from '../../workers/tesseract-log.js';
import { createOcrEngine, extractDocument, limitsFromEnv, toReportJson, type ExtractInput } from '../../core/index.js';
import { renderSummary } from '../render-summary.js';

interface ExtractFlags {
  json?: boolean;
  out?: string;
  ocr: boolean;
  oneDocument?: boolean;
  color: boolean;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff']);

export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('Extract one or more documents with the core only (no queue, no database) and print the result.')
    .argument('<files...>', 'PDF, JPEG, PNG or TIFF files; a folder of page images with --one-document')
    .option('--json', 'print the report JSON (one object per document, one per line) instead of a summary')
    .option('--out <dir>', 'also write <dir>/<name>.json for every document')
    .option('--no-ocr', 'never run OCR: pages without a usable text layer are flagged instead')
    .option(
      '--one-document',
      'treat the given page images (or a folder of them, in name order) as the pages of one document',
    )
    .option('--no-color', 'no ANSI colours in the summary')
    .action(async (files: string[], flags: ExtractFlags) => {
      process.exitCode = await runExtract(files, flags);
    });
}

async function runExtract(files: string[], flags: ExtractFlags): Promise<number> {
  // The engine is built when a page first needs OCR: born-digital documents never pay for it, and a
  // machine without traineddata still extracts them (a page that needs OCR then fails with OCR_FAILED).
  const ocr = flags.ocr
    ? lazyOcrEngine(() => createOcrEngine({ tessdata: process.env['TESSDATA_PREFIX'], onMessage: tesseractLog() }), {
        workers: 1,
        traineddata: 'lazy',
      })
    : null;
  const inputs = flags.oneDocument
    ? [await pageImagesInput(files)]
    : files.map((f) => ({ name: f, load: () => fileInput(f) }));
  if (flags.out) await mkdir(flags.out, { recursive: true });
  let worst = 0;
  try {
    for (const { name, load } of inputs) {
      const started = performance.now();
      const doc = await extractDocument(await load(), { ocr, limits: limitsFromEnv(process.env) });
      const exported = toReportJson(doc);
      log(`${name}: ${doc.status} (${doc.pages.length} pages, ${Math.round(performance.now() - started)} ms)`);
      if (flags.out)
        await writeFile(join(flags.out, `${basename(name, extname(name))}.json`), JSON.stringify(exported, null, 1));
      if (flags.json) process.stdout.write(`${JSON.stringify(exported)}\n`);
      else
        process.stdout.write(`${renderSummary(name, doc, { color: flags.color && process.stdout.isTTY === true })}\n`);
      if (doc.status === 'failed') worst = Math.max(worst, 2);
    }
  } finally {
    await ocr?.terminate();
  }
  // A failed document is a result, not a crash: the JSON says why. Exit 2 lets scripts notice it.
  return flags.json ? 0 : worst;
}

async function fileInput(path: string): Promise<ExtractInput> {
  return { bytes: new Uint8Array(await readFile(path)), name: path };
}

/** Page images of one document: the files in the order given, a folder's images in natural name order. */
async function pageImagesInput(args: string[]): Promise<{ name: string; load: () => Promise<ExtractInput> }> {
  const paths: string[] = [];
  for (const arg of args) {
    if ((await stat(arg)).isDirectory()) {
      const names = (await readdir(arg)).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()));
      names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      paths.push(...names.map((n) => join(arg, n)));
    } else paths.push(arg);
  }
  const name = args.length === 1 ? (args[0] ?? 'pages') : `${args[0] ?? 'pages'} (+${args.length - 1})`;
  return {
    name,
    load: async () => ({
      images: await Promise.all(paths.map(async (p) => ({ bytes: new Uint8Array(await readFile(p)), name: p }))),
    }),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
