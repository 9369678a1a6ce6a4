/**
 * The grids alone, no OCR: every page of the given fax PDFs through the same raster path as `docq
 * extract` (embedded image, levelled upright, findRasterTables with the page's fax flags), each table
 * as rows × cols and a hash of its cell boxes. Seconds for a report where an OCR run takes minutes,
 * so a change to rule finding can be compared page by page before anything is read.
 *
 *   npx tsx bench/fax-grids.ts <out.json> <file.pdf|dir …>   (a dir: every scan-fax.pdf below it; DOCQ_GRID_KINDS=scan-light,scan-heavy for others)
 *   npx tsx bench/fax-grids.ts --diff <a.json> <b.json>        (pages whose grids differ; exit 1 if any)
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../core/index.js';
import { openPdf } from '../core/pdf/open-pdf.js';
import { indexPdfObjects, readPageImage, type ImagePage } from '../core/pdf/page-image.js';
import { findRasterTables } from '../core/raster/find-raster-tables.js';
import { asPrepared, levelScan } from '../core/raster/prepare-scan.js';

type Grids = Record<string, string[]>;
const KINDS = (process.env['DOCQ_GRID_KINDS'] ?? 'scan-fax').split(',');

function pdfsUnder(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { recursive: true, encoding: 'utf8' })
    .filter((f) => KINDS.some((k) => f.endsWith(`${k}.pdf`)))
    .sort()
    .map((f) => join(p, f));
}

async function gridsOf(file: string): Promise<Grids> {
  const bytes = new Uint8Array(readFileSync(file));
  const opened = await openPdf(bytes, DEFAULT_LIMITS);
  if (!('numPages' in opened)) throw new Error(opened.message);
  const index = indexPdfObjects(bytes);
  const out: Grids = {};
  for (let n = 1; n <= opened.numPages; n++) {
    const raster = await readPageImage(index, (await opened.getPage(n)) as unknown as ImagePage);
    if (!raster) continue;
    const prepared = asPrepared(await levelScan(raster), null);
    const found = findRasterTables(prepared, n, 1, {
      coarse: raster.lineDpi !== undefined,
      faxLines: raster.faxLines === true,
    });
    out[`${file}#${n}`] = found.tables.map((t) => {
      const boxes = t.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.box.x0, c.box.y0, c.box.x1, c.box.y1]);
      const h = createHash('sha1').update(JSON.stringify(boxes)).digest('hex').slice(0, 8);
      return `${t.rows}x${t.cols} ${t.cells.length} cells ${h}`;
    });
  }
  await opened.destroy();
  return out;
}

const args = process.argv.slice(2);
if (args[0] === '--diff') {
  const [a, b] = [args[1]!, args[2]!].map((f) => JSON.parse(readFileSync(f, 'utf8')) as Grids);
  let differ = 0;
  for (const page of new Set([...Object.keys(a!), ...Object.keys(b!)])) {
    const [x, y] = [JSON.stringify(a![page] ?? null), JSON.stringify(b![page] ?? null)];
    if (x === y) continue;
    differ++;
    console.log(`${page}\n  - ${x}\n  + ${y}`);
  }
  console.log(`${differ} of ${Object.keys(b!).length} pages differ`);
  process.exitCode = differ > 0 ? 1 : 0;
} else {
  const [out, ...inputs] = args;
  const all: Grids = {};
  for (const file of inputs.flatMap(pdfsUnder)) {
    Object.assign(all, await gridsOf(file));
    console.error(file);
  }
  writeFileSync(out!, JSON.stringify(all, null, 1));
  console.log(`${Object.keys(all).length} pages → ${out}`);
}
