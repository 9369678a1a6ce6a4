/**
 * This page's own digits as a classifier. A table prints its numbers in one face at one size, and a
 * fax degrades them all the same way, so the digits the recogniser read with confidence are labelled
 * examples of exactly this page's degraded face: a doubtful number's digits are matched against
 * them, one digit window at a time. A window near no example's digit, or about as near two, stays
 * unknown (`?`): a digit with no sure example on the page (a thinned 4 where no 4 read well) is then
 * "none of the known digits" rather than the nearest one, and the sums may solve it.
 */
import { digitCentres, digitPitch } from './digit-pitch.js';
import type { InkReport } from './find-ink.js';
import { inkShares } from './ink-shares.js';

/** A one-row number cell: its reading and its ink. */
export interface NumberCell {
  readonly text: string;
  readonly confidence: number;
  readonly ink: InkReport;
  /** Digits the ink printed by its upright glyphs (read-cell.ts), when counted. */
  readonly glyphs?: number;
}

/** Readings at least this sure teach the page's digit shapes. */
const TEACH_CONFIDENCE = 0.9;
/** Without a pitch from sure numbers, numbers read at least this sure give one (a continued table's few rows). */
const FAIR_CONFIDENCE = 0.6;
/** A digit window is sampled on this grid (columns × rows). */
const GRID_W = 8;
const GRID_H = 12;
/** A digit slot takes the glyph whose centre lies this close (share of the pitch) to where the slot should be. */
const SNAP = 0.35;
/**
 * A known digit is within this many times the page's own spread of examples around their digit's shape
 * (on 淮安市 2024's fine fax, with the margin below: 12 doubtful numbers read otherwise, all 12 right).
 */
const NEAR = 1.6;
/** The nearest digit must be nearer than the second by this factor, else the window is about as near two. */
const MARGIN = 1.5;
/** A digit needs this many sure examples on the page to be known at all. */
const MIN_EXAMPLES = 2;

type Shape = Float32Array;

/**
 * Where each printed digit stands (crop pixels), one a pitch from the last: null for a slot no glyph
 * fills (a digit the fax lost whole). Empty when the glyphs do not sit on the pitch.
 */
export function digitWindows(ink: InkReport, pitch: number): (number | null)[] {
  const joined = digitCentres(
    ink.glyphs.map((g) => g.x0 + g.width / 2),
    pitch,
  );
  if (joined.length === 0) return [];
  const first = joined[0]!;
  const count = Math.round((joined[joined.length - 1]! - first) / pitch) + 1;
  const slots: (number | null)[] = [];
  for (let k = 0; k < count; k++) {
    const at = first + k * pitch;
    const hit = joined.find((c) => Math.abs(c - at) <= SNAP * pitch);
    slots.push(hit ?? null);
  }
  // Every glyph must have found its slot: otherwise the spacing is not the pitch (a wrong cut).
  return slots.filter((s) => s !== null).length === joined.length ? slots : [];
}

/** The ink of one digit window, a pitch wide and the number's ink tall, as ink shares on the grid. */
export function shapeAt(ink: InkReport, centre: number, pitch: number): Shape {
  const box = ink.box!;
  const win = { left: centre - pitch / 2, width: pitch, top: box.y0 - ink.crop.y0, height: box.y1 - box.y0 };
  return inkShares(ink, win, GRID_W, GRID_H);
}

function distance(a: Shape, b: Shape): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

function mean(shapes: readonly Shape[]): Shape {
  const out = new Float32Array(GRID_W * GRID_H);
  for (const s of shapes) for (let i = 0; i < out.length; i++) out[i]! += s[i]! / shapes.length;
  return out;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The page's digit shapes: each digit's mean shape, and how far its examples lie from it (typical spread). */
export interface DigitModel {
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly spread: number;
}

/** Learn the digit shapes from the page's sure numbers whose glyphs match their digits one to one. */
export function learnDigits(
  cells: readonly (NumberCell | null)[],
  pitch: number,
  teach = TEACH_CONFIDENCE,
): DigitModel | null {
  const examples = new Map<string, Shape[]>();
  for (const c of cells) {
    if (!c || c.confidence < teach || !/^\d+$/.test(c.text) || !c.ink.box) continue;
    const windows = digitWindows(c.ink, pitch);
    if (windows.length !== c.text.length || windows.some((w) => w === null)) continue;
    windows.forEach((w, i) => {
      const d = c.text[i]!;
      examples.set(d, [...(examples.get(d) ?? []), shapeAt(c.ink, w!, pitch)]);
    });
  }
  const shapes = new Map<string, Shape>();
  const spreads: number[] = [];
  for (const [d, list] of examples) {
    if (list.length < MIN_EXAMPLES) continue;
    const m = mean(list);
    shapes.set(d, m);
    for (const s of list) spreads.push(distance(s, m));
  }
  if (shapes.size < 2) return null;
  return { shapes, spread: Math.max(median(spreads), 0.5) };
}

/** The known digits by distance from a shape, nearest first. */
export function rankDigits(model: DigitModel, shape: Shape): { d: string; dist: number }[] {
  return [...model.shapes].map(([d, m]) => ({ d, dist: distance(shape, m) })).sort((a, b) => a.dist - b.dist);
}

/** One digit window: the known digit it matches, or null when it is near none or about as near two. */
function classify(model: DigitModel, shape: Shape): string | null {
  const ranked = rankDigits(model, shape);
  const [best, second] = ranked;
  if (!best || best.dist > NEAR * model.spread) return null;
  if (second && second.dist < MARGIN * best.dist) return null;
  return best.d;
}

/**
 * The digits of a number as this page's own digit shapes read them, `?` where a window matches no
 * known digit or two, or where the recogniser read there a digit the page has no sure example of
 * (nothing here can say it is not that digit). Null when the ink does not cut into digit windows on
 * the pitch.
 */
export function digitShapes(model: DigitModel, ink: InkReport, pitch: number, read = ''): string | null {
  if (!ink.box) return null;
  const windows = digitWindows(ink, pitch);
  if (windows.length === 0) return null;
  const aligned = /^\d+$/.test(read) && read.length === windows.length ? read : '';
  return windows
    .map((w, i) => {
      if (w === null || (aligned && !model.shapes.has(aligned[i]!))) return '?';
      return classify(model, shapeAt(ink, w, pitch)) ?? '?';
    })
    .join('');
}

function fairPitch(cells: readonly (NumberCell | null)[]): number | null {
  const numbers = cells.flatMap((c) =>
    c ? [{ ...c, centres: c.ink.glyphs.map((g) => c.ink.crop.x0 + g.x0 + g.width / 2) }] : [],
  );
  return digitPitch(numbers, FAIR_CONFIDENCE);
}

/** What the page's digit shapes make of a doubtful number. */
export interface ShapeReading {
  /** Each digit, `?` where the shapes cannot tell (as many digits as the glyphs printed). */
  readonly digits: string;
  /** Every digit known and the recogniser read otherwise: the number to read instead. */
  readonly text?: string;
}

/**
 * Per cell, what this page's digit shapes make of a doubtful number (read below the teaching
 * confidence) where at least one digit window matches a known digit; null elsewhere. Needs the
 * page's digit pitch, else a pitch from numbers read fairly well.
 */
export function readByShapes(cells: readonly (NumberCell | null)[], pitch: number | null): (ShapeReading | null)[] {
  const step = pitch ?? fairPitch(cells);
  const model = step ? learnDigits(cells, step) : null;
  return cells.map((c) => {
    if (!model || !step || !c || c.confidence >= TEACH_CONFIDENCE) return null;
    const digits = digitShapes(model, c.ink, step, c.text);
    // As many digits as the glyphs printed: windows a pitch apart must not cut one digit in two.
    if (!digits || /^\?*$/.test(digits) || (c.glyphs !== undefined && c.glyphs !== digits.length)) return null;
    return digits.includes('?') || digits === c.text ? { digits } : { digits, text: digits };
  });
}

/** Digits a fax thins to one bare stem the recogniser reads as 1 (淮安市's Times 4 and 7, 14 px tall on a fine fax). */
const STEM_DIGITS = /[47]/g;
/** A table whose sure numbers print at least this many digits other than 0… */
const STEM_VOCABULARY = 8;
/** …and 4s and 7s at most this share of them (any face prints ≈ a fifth; 淮安市 fine: one 4 in 25, a row number) lost those to stems. */
const STEM_SHARE = 1 / 16;

/**
 * Per cell, the readings a number with a 1 could be on a table that has lost its 4s and 7s to bare
 * stems (each 1 in turn read 4 or 7: 34 read 31 at 0.95, 447 read 1): its sure numbers print many
 * digits and hardly a 4 or a 7, so nothing on it vouches for a 1 either. Null elsewhere. Such a
 * reading is doubtful whatever its confidence, and the sums choose among these.
 */
export function stemOnes(cells: readonly (NumberCell | null)[]): (readonly string[] | null)[] {
  const printed = cells
    .flatMap((c) => (c && c.confidence >= TEACH_CONFIDENCE && /^\d+$/.test(c.text) ? [c.text] : []))
    .join('')
    .replace(/0/g, '');
  const stems = printed.length - printed.replace(STEM_DIGITS, '').length;
  if (printed.length < STEM_VOCABULARY || stems > STEM_SHARE * printed.length) return cells.map(() => null);
  return cells.map((c) => {
    if (!c || !/^\d+$/.test(c.text) || !c.text.includes('1')) return null;
    return [...c.text].flatMap((d, i) =>
      d === '1' ? ['4', '7'].map((s) => c.text.slice(0, i) + s + c.text.slice(i + 1)) : [],
    );
  });
}
