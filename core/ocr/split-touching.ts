/**
 * Touching digits on a standard-mode fax: two or three digits a pel apart run together into one glyph
 * as wide as a CJK character, and both copies of the page read the run as one digit or as text (UMing's
 * 4796 read 473, 39 read 李, 4779 read 4774: 11 of its 25 wrong cells). Table digits are tabular, so
 * a glyph wider than one digit holds as many digits as the page's digit pitch says: it is cut at its
 * thinnest columns, the pieces pulled apart by a gap and the number read again.
 */
import { padRaster, scaleRaster } from './crop-raster.js';
import type { InkReport } from './find-ink.js';
import type { GrayRaster } from './gray-raster.js';
import type { CellReading } from './cell-reading.js';
import type { OcrEngine } from './ocr-engine.js';

/** A digit's glyph is at most this share of the pitch wide (a 4 or 0 with its side bearings left out). */
const DIGIT_WIDTH = 0.8;
/** A cut may move this share of the pitch off its even place to find the thinnest column. */
const CUT_SLACK = 0.25;
/** The pieces are pulled apart by this share of the pitch (blank columns). */
const GAP = 0.4;
/** The pulled-apart ink is read this tall with this white margin (pixels), as read-box-pixels' crops. */
const READ_HEIGHT_PX = 40;
const PAD_PX = 12;

/** How many tabular digits a glyph this wide holds. */
export function digitsIn(width: number, pitch: number): number {
  return Math.max(1, Math.round((width - DIGIT_WIDTH * pitch) / pitch) + 1);
}

/** A one-row number's ink with its touching digits pulled apart. */
export interface PulledApart {
  readonly image: GrayRaster;
  /** Digits the ink printed: one a glyph, more for a glyph wider than a digit. */
  readonly digits: number;
  /** Centre of every digit, raster pixels left to right (digit-pitch's slots count them). */
  readonly centres: readonly number[];
}

/** Ink pixels of column x between rows y0 and y1 of the crop mask. */
function columnInk(ink: InkReport, x: number, y0: number, y1: number): number {
  const w = ink.crop.x1 - ink.crop.x0;
  let n = 0;
  for (let y = y0; y < y1; y++) n += ink.mask[y * w + x]!;
  return n;
}

/** The column to cut at near `ideal` (crop pixels): the one with least ink, the nearest on a tie. */
function thinnest(ink: InkReport, ideal: number, slack: number, y0: number, y1: number): number {
  let best = Math.round(ideal);
  let least = Infinity;
  for (let x = Math.floor(ideal - slack); x <= Math.ceil(ideal + slack); x++) {
    const n = columnInk(ink, x, y0, y1);
    if (n < least || (n === least && Math.abs(x - ideal) < Math.abs(best - ideal))) [best, least] = [x, n];
  }
  return best;
}

/**
 * The pixels of a one-row number (`raster`, the copy its ink was found on) with its touching digits
 * pulled apart: where some glyph is wider than one digit, the ink's span holds as many digits as the
 * pitch says, cut evenly at the thinnest column near each boundary, a blank gap set into each cut.
 * Null when no glyph is wider than one digit.
 */
export function pullApart(raster: GrayRaster, ink: InkReport, pitch: number): PulledApart | null {
  const box = ink.box;
  if (!box || ink.glyphs.length === 0 || ink.glyphs.every((g) => digitsIn(g.width, pitch) === 1)) return null;
  const last = ink.glyphs[ink.glyphs.length - 1]!;
  const left = ink.glyphs[0]!.x0;
  const right = last.x0 + last.width;
  const digits = digitsIn(right - left, pitch);
  const y0 = box.y0 - ink.crop.y0;
  const y1 = box.y1 - ink.crop.y0;
  const step = (right - left) / digits;
  const cuts: number[] = [];
  for (let k = 1; k < digits; k++) cuts.push(thinnest(ink, left + k * step, CUT_SLACK * pitch, y0, y1));
  const edges = [left - 1, ...cuts, right];
  const centres = edges.slice(1).map((e, i) => ink.crop.x0 + (edges[i]! + 1 + e) / 2);
  const gap = Math.max(2, Math.round(GAP * pitch));
  const height = y1 - y0;
  const width = right - left - cuts.length + cuts.length * gap;
  const data = new Uint8Array(width * height).fill(255);
  let out = 0;
  for (let x = left; x < right; x++) {
    if (cuts.includes(x)) {
      out += gap;
      continue;
    }
    for (let y = 0; y < height; y++) {
      const at = (ink.crop.y0 + y0 + y) * raster.width + ink.crop.x0 + x;
      data[y * width + out] = raster.data[at] ?? 255;
    }
    out++;
  }
  return { image: { width, height, data }, digits, centres };
}

/** The pulled-apart number as the digits setup reads it, when it is a whole number of `digits` digits. */
export async function readPulledApart(
  pulled: PulledApart,
  dpi: number,
  engine: OcrEngine,
): Promise<{ text: string; confidence: number } | null> {
  const up = READ_HEIGHT_PX / pulled.image.height;
  const read = await engine.readLine(padRaster(scaleRaster(pulled.image, up), PAD_PX), 'digits', dpi * up, 1);
  return /^\d+$/.test(read.text) && read.text.length === pulled.digits
    ? { text: read.text, confidence: read.weakest }
    : null;
}

/** A number read from touching digits pulled apart keeps at most this: flagged unless a passing sum vouches. */
const SPLIT_CAP = 0.85;
/** …and this where only one copy read it and the cell's reading contradicted its ink: a doubt for the sums. */
const DOUBT_CAP = 0.5;

/**
 * A cell of touching digits re-read from both copies' ink pulled apart (`inks`: the page's, the sharp
 * copy's). Both copies reading the same number of as many digits as the pitch counts: that number.
 * One copy, or two that differ, against a reading that does not account for those digits (text, or
 * fewer digits): the surer split reading as a doubt, the old reading kept for the sums. Else the
 * reading stays, the split readings added as alternatives. The digit count goes with it (`centres`,
 * so the sums know how many digits to try).
 */
export async function rereadTouching(
  r: CellReading,
  inks: readonly { raster: GrayRaster; ink: InkReport }[],
  pitch: number,
  dpi: number,
  engine: OcrEngine,
): Promise<CellReading> {
  const pulled = inks.map((i) => pullApart(i.raster, i.ink, pitch)).filter((p): p is PulledApart => p !== null);
  if (pulled.length === 0) return r;
  const reads = await Promise.all(pulled.map((p) => readPulledApart(p, dpi, engine)));
  const found = reads.flatMap((x, i) => (x ? [{ ...x, pulled: pulled[i]! }] : []));
  if (found.length === 0) return r;
  const best = found.reduce((a, b) => (b.confidence > a.confidence ? b : a));
  const count = { glyphs: best.pulled.digits, centres: best.pulled.centres };
  const earlier = [r.text, ...r.alternatives].filter((t) => t !== '');
  const agree = found.length > 1 && found.every((f) => f.text === best.text);
  const accounts = /^\d+$/.test(r.text) && r.text.length === best.pulled.digits;
  if (agree || !accounts) {
    const cap = agree ? SPLIT_CAP : DOUBT_CAP;
    const others = found.map((f) => f.text).filter((t) => t !== best.text);
    return {
      ...r,
      ...count,
      text: best.text,
      kind: 'digits',
      confidence: Math.min(best.confidence, cap),
      alternatives: [...new Set([...others, ...earlier])].filter((t) => t !== best.text),
    };
  }
  const alternatives = [...new Set([...r.alternatives, ...found.map((f) => f.text)])].filter((t) => t !== r.text);
  return { ...r, ...count, alternatives };
}
