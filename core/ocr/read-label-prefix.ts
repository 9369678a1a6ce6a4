import { reportLayout } from '../report/labels.js';
import { normalizeLabel } from '../report/normalize-label.js';
import { T3_NOTE } from '../report/schema.js';
import { cleanCrop } from './clean-crop.js';
import { scaleRaster } from './crop-raster.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';
import type { InkReport } from './find-ink.js';
import type { Cell } from '../model/index.js';
import type { LineReading, OcrEngine } from './ocr-engine.js';
import { readingScore, SMALL_GLYPH_PX } from './settle-readings.js';

/**
 * Labels read only as far as needed (issue 13, speed): a long table-三 label costs what its width
 * over its height costs (the LSTM runs along the whole line), yet its first few characters already
 * name one template row. The prefix is read; it stands for the full template label only when its
 * sub-item number and words name exactly one row, its ink is as long as that label, and (readTable)
 * the rows named this way keep the template's order. Otherwise the whole label is read as before.
 * Table 三's printed note (本列数据的勾稽关系…, ≈ 33 characters) is named by its prefix the same way.
 */

/** Width of the prefix crop in text-row heights (a CJK character's advance is ≈ one row height). */
const PREFIX_EM = 5;
/** Only labels at least this many row heights longer than the prefix are worth a prefix read. */
const MIN_SAVING_EM = 2.5;
/** The prefix reading's weakest symbol must be at least this sure (read-cell's REREAD_BELOW). */
const SURE = 0.9;
/** Han characters the prefix must match before it names a row. */
const MIN_WORD_CHARS = 3;
/** The label's ink may differ from the template label's length by this share, or by this many characters. */
const LENGTH_SLACK = 0.2;
const LENGTH_SLACK_CHARS = 2;
/** Quiet zone around the prefix, as a share of the row height (read-cell's first crop). */
const PAD = 0.3;
/** Prefixes are read this many at a time, in reading order. */
const BATCH = 3;
/**
 * A table stops reading prefixes when this many more of them have failed than named a row (表二's
 * captions, a fax's garbled labels): the whole labels are read anyway, the prefixes would be waste.
 */
const GIVE_UP = 3;
/** A table's cells must name at least this many template rows by their prefixes before any is trusted. */
const MIN_NAMED = 3;

/** The table-三 labels as printed, in template order (v2021 rows, then v2019's that differ). */
const T3_LABELS: readonly string[] = [
  ...new Set(
    (['v2021', 'v2019'] as const).flatMap(
      (v) =>
        reportLayout(v)
          .find((t) => t.id === 'applications')
          ?.rows.map((r) => r.label) ?? [],
    ),
  ),
];

const ENUMERATOR = /^(?:[(〈<]?([一二三四五六七八九十]{1,2})[)〉>]?[、,.]?|(\d{1,2})[.,、])/u;
const HAN = /\p{Script=Han}/gu;

interface Parsed {
  /** The sub-item number as printed (一, 二 … or 1, 2 …), '' when the label has none. */
  readonly number: string;
  /** The number is a Han numeral in brackets: （二）. */
  readonly bracketed: boolean;
  /** The label's Han characters after its number. */
  readonly words: string;
}

function parse(text: string): Parsed {
  const t = normalizeLabel(text);
  const m = ENUMERATOR.exec(t);
  const rest = m ? t.slice(m[0].length) : t;
  const bracketed = m?.[1] !== undefined && /^[(〈<]/.test(m[0]) && /[)〉>]$/.test(m[0]);
  return { number: m ? (m[1] ?? m[2] ?? '') : '', bracketed, words: (rest.match(HAN) ?? []).join('') };
}

const PARSED = T3_LABELS.map(parse);

/** A prefix reading that names table 三's note: it names no row, so it stays out of the row order. */
const NOTE = -1;
const NOTE_PARSED = parse(T3_NOTE);
/** Han characters the note's prefix must match (all but one): it has no sub-item number to agree. */
const NOTE_WORD_CHARS = 4;

/** Whether a prefix reading is the start of table 三's note: no number, its words the note's, all but one. */
export function matchNote(text: string): boolean {
  const p = parse(text);
  return (
    p.number === '' &&
    p.words.length >= NOTE_WORD_CHARS &&
    p.words.length <= NOTE_PARSED.words.length &&
    mismatches(p.words, NOTE_PARSED.words) <= 1
  );
}

/** Printed width of a template label in CJK advances: ASCII-width characters (digits, points) count half. */
function advances(label: string): number {
  let n = 0;
  for (const ch of normalizeLabel(label)) n += /[\x20-\x7e]/.test(ch) && !/[()]/.test(ch) ? 0.5 : 1;
  return n;
}

/** Characters of `a` that differ from those of `b` at the same place (`b` at least as long). */
function mismatches(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/**
 * The template row (index into T3_LABELS) a prefix reading names, or null when it names none or
 * several. Its number must be the row's, and its words the start of the row's words, all but one
 * when MIN_WORD_CHARS others agree (the last one cut by the crop, 三 read as 二). `lenient`: a
 * bracketed number that names no row may be misread, when exact words name one bracketed row.
 */
export function matchPrefix(text: string, lenient = false): number | null {
  const p = parse(text);
  if (p.words.length < MIN_WORD_CHARS) return null;
  const slack = p.words.length > MIN_WORD_CHARS ? 1 : 0;
  const fits = (c: Parsed): boolean =>
    c.number === p.number && c.words.length >= p.words.length && mismatches(p.words, c.words) <= slack;
  const hits = PARSED.flatMap((c, i) => (fits(c) ? [i] : []));
  if (hits.length > 0 || !p.bracketed || !lenient) return hits.length === 1 ? hits[0]! : null;
  // A bracketed number read as another (（二）'s short upper stroke lost: （一）部分公开 on every dev
  // scan): words that start exactly one bracketed row, every character right, name it by themselves.
  const byWords = PARSED.flatMap((c, i) => (c.bracketed && c.words.startsWith(p.words) ? [i] : []));
  return byWords.length === 1 ? byWords[0]! : null;
}

/** Leftmost and rightmost ink columns of a band (crop pixels), null when it has none. */
export function bandExtent(ink: InkReport, [y0, y1]: readonly [number, number]): [number, number] | null {
  const w = ink.crop.x1 - ink.crop.x0;
  let lo = w;
  let hi = -1;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < w; x++) {
      if (ink.mask[y * w + x] !== 1) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return hi < 0 ? null : [lo, hi + 1];
}

/**
 * Where to cut a band near column `x`: the middle of the widest run of ink-free columns within
 * `reach` of it (the space between two characters is wider than the gaps inside one, such as 律's
 * or 供's), the nearest on a tie; `x` itself when the band has no gap there.
 */
function gapNear(ink: InkReport, [y0, y1]: readonly [number, number], x: number, reach: number): number {
  const w = ink.crop.x1 - ink.crop.x0;
  const empty = (c: number): boolean => {
    for (let y = y0; y < y1; y++) if (ink.mask[y * w + c] === 1) return false;
    return true;
  };
  let best = { width: 0, at: x };
  let run = 0;
  for (let c = Math.max(0, x - reach); c <= Math.min(w - 1, x + reach); c++) {
    run = empty(c) ? run + 1 : 0;
    const at = c - Math.floor((run - 1) / 2);
    if (run > best.width || (run === best.width && run > 0 && Math.abs(at - x) < Math.abs(best.at - x)))
      best = { width: run, at };
  }
  return best.at;
}

/** A label that a prefix read could stand for: its first row band and its length in row heights. */
export interface PrefixPlan {
  readonly prefix: InkReport;
  readonly rowHeight: number;
  /** The label's ink, all rows laid end to end, in row heights (≈ CJK characters). */
  readonly length: number;
}

/** Whether a label is long enough for a prefix read to pay, and where its prefix is; null when not. */
export function planPrefix(ink: InkReport): PrefixPlan | null {
  const bands = ink.bands;
  if (bands.length === 0 || !ink.box) return null;
  const extents = bands.map((b) => bandExtent(ink, b));
  if (extents.some((e) => e === null)) return null;
  const rowHeight = Math.max(...bands.map(([y0, y1]) => y1 - y0));
  const length = extents.reduce((s, e) => s + (e![1] - e![0]) / rowHeight, 0);
  if (length < PREFIX_EM + MIN_SAVING_EM) return null;
  const [lo] = extents[0]!;
  const cut = gapNear(ink, bands[0]!, lo + Math.round(PREFIX_EM * rowHeight), Math.round(rowHeight / 2));
  const { x0, y0 } = ink.crop;
  const box: PixelBox = { x0: x0 + lo, y0: y0 + bands[0]![0], x1: x0 + cut, y1: y0 + bands[0]![1] };
  return { prefix: { ...ink, box, rows: 1, bands: [bands[0]!] }, rowHeight, length };
}

/** One row of a label's ink (its `box`, one band) read as a line, small glyphs enlarged; null when it has no ink. */
export async function readOneRow(
  raster: GrayRaster,
  row: InkReport,
  rowHeight: number,
  dpi: number,
  engine: OcrEngine,
): Promise<LineReading | null> {
  const crop = cleanCrop(raster, row, { pad: rowHeight * PAD, gray: true });
  if (!crop) return null;
  const up = rowHeight < SMALL_GLYPH_PX ? SMALL_GLYPH_PX / rowHeight : 1;
  return engine.readLine(up > 1 ? scaleRaster(crop, up) : crop, 'label', dpi * up, 1);
}

/** A label read from its prefix: the template label it names, how sure, and the row's template index (NOTE: the note). */
export interface PrefixReading {
  readonly text: string;
  readonly confidence: number;
  readonly index: number;
}

export interface PrefixOptions {
  /**
   * A prefix may name table 三's note, and a row by its words when its bracketed number reads as
   * another (not on fax pages: their labels stay as tuned).
   */
  readonly lenient?: boolean;
}

/**
 * Read a long label's prefix and name its template row (or the note): null when the reading is
 * unsure, names no row or several, or the label's ink is not as long as the row's template label (a
 * report printing its own wording): the whole label is then read.
 */
export async function readLabelPrefix(
  raster: GrayRaster,
  plan: PrefixPlan,
  dpi: number,
  engine: OcrEngine,
  opts: PrefixOptions = {},
): Promise<PrefixReading | null> {
  const r = await readOneRow(raster, plan.prefix, plan.rowHeight, dpi, engine);
  if (!r || r.weakest < SURE) return null;
  const lenient = opts.lenient === true;
  const index = matchPrefix(r.text, lenient) ?? (lenient && matchNote(r.text) ? NOTE : null);
  if (index === null) return null;
  const text = index === NOTE ? T3_NOTE : T3_LABELS[index]!;
  const want = advances(text);
  if (Math.abs(plan.length - want) > Math.max(LENGTH_SLACK_CHARS, LENGTH_SLACK * want)) return null;
  return { text, confidence: readingScore(r, 'label'), index };
}

/**
 * Indices (into `order`) of the longest strictly increasing run of template indices: prefix-named
 * rows that keep the template's order. A row named twice is neither (which is it, the prefixes
 * cannot say). The others are read in full.
 */
export function inTemplateOrder(order: readonly number[]): Set<number> {
  const once = order.map((x) => order.indexOf(x) === order.lastIndexOf(x));
  const n = order.length;
  const len = new Array<number>(n).fill(1);
  const prev = new Array<number>(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (once[i] && once[j] && order[j]! < order[i]! && len[j]! + 1 > len[i]!) {
        len[i] = len[j]! + 1;
        prev[i] = j;
      }
    }
  }
  let end = -1;
  for (let i = 0; i < n; i++) if (once[i] && (end < 0 || len[i]! > len[end]!)) end = i;
  const keep = new Set<number>();
  for (let i = end; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}

/**
 * The prefix readings that stand for their labels, by cell index (`plans` by cell; null: no prefix
 * read). Read a few at a time in reading order, row by row and left to right, until GIVE_UP more
 * have failed than named a row; kept only when they name at least MIN_NAMED rows, and only the
 * rows that keep the template's order. A prefix naming the note is kept on its own: it is no row.
 */
export async function readPrefixes(
  raster: GrayRaster & { readonly dpi: number },
  plans: readonly (PrefixPlan | null)[],
  cells: readonly Pick<Cell, 'row' | 'col'>[],
  engine: OcrEngine,
  opts: PrefixOptions = {},
): Promise<Map<number, PrefixReading>> {
  const todo = plans
    .flatMap((plan, i) => (plan ? [{ i, plan, row: cells[i]!.row, col: cells[i]!.col }] : []))
    .sort((a, b) => a.row - b.row || a.col - b.col);
  const hits: { i: number; r: PrefixReading }[] = [];
  let misses = 0;
  for (let k = 0; k < todo.length && misses - hits.length < GIVE_UP; k += BATCH) {
    const batch = todo.slice(k, k + BATCH);
    const read = await Promise.all(batch.map((t) => readLabelPrefix(raster, t.plan, raster.dpi, engine, opts)));
    read.forEach((r, j) => (r ? hits.push({ i: batch[j]!.i, r }) : misses++));
  }
  const rows = hits.filter((h) => h.r.index !== NOTE);
  const keep = inTemplateOrder(rows.map((h) => h.r.index));
  const named = keep.size < MIN_NAMED ? [] : [...keep].map((k) => rows[k]!);
  return new Map([...named, ...hits.filter((h) => h.r.index === NOTE)].map((h) => [h.i, h.r]));
}
