import type { Cell } from '../model/index.js';
import { T3_COLUMN_LABELS } from '../report/labels.js';
import { normalizeLabel } from '../report/normalize-label.js';
import { T3_COLUMNS } from '../report/schema.js';
import type { InkReport } from './find-ink.js';
import type { GrayRaster } from './gray-raster.js';
import type { OcrEngine } from './ocr-engine.js';
import { REREAD_BELOW } from './read-cell.js';
import { bandExtent, readOneRow, type PrefixReading } from './read-label-prefix.js';
import { readingScore } from './settle-readings.js';

/**
 * Table 三's column heads read from their first text row (issue 13, speed): the heads under
 * 法人或其他组织 are printed over two rows in narrow cells (商业/企业, 社会公/益组织), and the first
 * row's characters already name one head. That row is read; it stands for the head only when its
 * reading is sure, its words start exactly one head, the cell's ink is as long as that head, and the
 * heads so named keep the printed order left to right. Anything less is read whole, as before.
 */

/** The heads a first row may name, left to right: table 三's column words of four characters or more. */
const HEADS: readonly string[] = T3_COLUMNS.map((c) => T3_COLUMN_LABELS[c] ?? '').filter((h) => h.length >= 4);
/** Han characters the first row must read before it names a head. */
const MIN_CHARS = 2;
/** The cell's ink may differ from the head's length by this many characters. */
const LENGTH_SLACK_CHARS = 1;
const HAN = /\p{Script=Han}/gu;

/** A wrapped label's first text row and how long all its ink is, in row heights (≈ characters). */
export interface HeadPlan {
  readonly first: InkReport;
  readonly rowHeight: number;
  readonly length: number;
}

/** A label wrapped over two or more rows, planned for a first-row read; null when it is on one row. */
export function planHead(ink: InkReport): HeadPlan | null {
  const bands = ink.bands;
  if (bands.length < 2 || !ink.box) return null;
  const extents = bands.map((b) => bandExtent(ink, b));
  if (extents.some((e) => e === null)) return null;
  const rowHeight = Math.max(...bands.map(([y0, y1]) => y1 - y0));
  const length = extents.reduce((s, e) => s + (e![1] - e![0]) / rowHeight, 0);
  const [lo, hi] = extents[0]!;
  const { x0, y0 } = ink.crop;
  const box = { x0: x0 + lo, y0: y0 + bands[0]![0], x1: x0 + hi, y1: y0 + bands[0]![1] };
  return { first: { ...ink, box, rows: 1, bands: [bands[0]!] }, rowHeight, length };
}

/** The head (index into HEADS) whose start a first row reads, every character right; null for none or several. */
export function matchHead(text: string): number | null {
  const words = (normalizeLabel(text).match(HAN) ?? []).join('');
  if (words.length < MIN_CHARS) return null;
  const hits = HEADS.flatMap((h, i) => (h.startsWith(words) && h.length > words.length ? [i] : []));
  return hits.length === 1 ? hits[0]! : null;
}

async function readHead(
  raster: GrayRaster,
  plan: HeadPlan,
  dpi: number,
  engine: OcrEngine,
): Promise<PrefixReading | null> {
  const r = await readOneRow(raster, plan.first, plan.rowHeight, dpi, engine);
  // As sure in its weakest symbol as a reading read-cell would not read again.
  if (!r || r.weakest < REREAD_BELOW) return null;
  const index = matchHead(r.text);
  if (index === null) return null;
  const text = HEADS[index]!;
  if (Math.abs(plan.length - text.length) > LENGTH_SLACK_CHARS) return null;
  return { text, confidence: readingScore(r, 'label'), index };
}

/**
 * The first-row readings that stand for their heads, by cell index (`plans` by cell; null: none):
 * kept only when every head so named is named once and they keep the printed order left to right.
 */
export async function readColumnHeads(
  raster: GrayRaster & { readonly dpi: number },
  plans: readonly (HeadPlan | null)[],
  cells: readonly Pick<Cell, 'row' | 'col'>[],
  engine: OcrEngine,
): Promise<Map<number, PrefixReading>> {
  const read = await Promise.all(
    plans.map(async (plan, i) => (plan ? { i, r: await readHead(raster, plan, raster.dpi, engine) } : null)),
  );
  const hits = read
    .flatMap((h) => (h?.r ? [{ i: h.i, r: h.r }] : []))
    .sort((a, b) => cells[a.i]!.col - cells[b.i]!.col);
  const inOrder = hits.every((h, k) => k === 0 || h.r.index > hits[k - 1]!.r.index);
  return inOrder ? new Map(hits.map((h) => [h.i, h.r])) : new Map();
}
