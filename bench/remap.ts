/**
 * Mapping without OCR again: reads a document once (pages and per-page tables, the partial before
 * stitching) and keeps it as JSON; later runs assemble the kept partial with the current report code,
 * so a change to the mapping is tried on a faxed report in a second instead of minutes of OCR.
 *
 *   npx tsx bench/remap.ts <file.pdf> <cache.json> [--out <report.json>] [--tables]
 *
 * The cache is written when absent (OCR; pages' images are not kept). `--out` writes the report JSON
 * as `docq extract --json` prints it (for the scorer's `--outputs`); `--tables` prints the cell texts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { analyzeRange, assembleDocument, createOcrEngine, limitsFromEnv, toReportJson } from '../core/index.js';
import type { PagePartial } from '../core/index.js';

const [file, cache] = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
if (!file || !cache) throw new Error('usage: remap.ts <file.pdf> <cache.json> [--out <report.json>] [--tables]');

if (!existsSync(cache)) {
  const ocr = await createOcrEngine({ tessdata: process.env['TESSDATA_PREFIX'] });
  try {
    const partial = await analyzeRange({ bytes: new Uint8Array(readFileSync(file)), name: file }, undefined, {
      ocr,
      limits: limitsFromEnv(process.env),
    });
    writeFileSync(cache, JSON.stringify(partial));
  } finally {
    await ocr.terminate();
  }
}
const partial = JSON.parse(readFileSync(cache, 'utf8')) as PagePartial;
const doc = assembleDocument([partial]);
const out = option('--out');
if (out) writeFileSync(out, JSON.stringify(toReportJson(doc)));
if (process.argv.includes('--tables'))
  for (const t of doc.tables) {
    console.log(`# ${t.id} pages ${t.pages.join(',')} ${t.rows}×${t.cols}`);
    const rows = new Map<number, string[]>();
    for (const c of t.cells) rows.set(c.row, [...(rows.get(c.row) ?? []), `${c.col}:${c.text}`]);
    for (const [r, cells] of [...rows].sort((a, b) => a[0] - b[0])) console.log(`  ${r}| ${cells.join(' | ')}`);
  }
for (const note of doc.report?.notes ?? []) console.log(`note: ${note}`);
