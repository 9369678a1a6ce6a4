import { forEachInkRun } from '../raster/ink-runs.js';
import type { UprightScorer } from '../raster/prepare-scan.js';
import type { Raster } from '../raster/raster.js';
import type { GrayRaster } from './gray-raster.js';
import { cropRaster } from './crop-raster.js';
import type { OcrEngine, PageReading } from './ocr-engine.js';

/** The line read is found by its densest core, this tall (inches): inside one line of 10-pt or larger text (a glyph is ≈ 0.14 in). */
const CORE_INCHES = 0.1;
/** …widened to the blank rows around it, up to this height in all (inches; a line of 16-pt heading is ≈ 0.25 in)… */
const MAX_LINE_INCHES = 0.34;
/** …where a row counts as blank below this share of the core's densest row… */
const BLANK_ROW_SHARE = 0.04;
/** …plus this much paper (inches) above and below for the recogniser. The strip is full width so table labels are in it. */
const PAD_INCHES = 0.03;
/** Han words are what tell up from down: digits such as 0, 1 and 8 read the same either way. */
const HAN = /\p{Script=Han}/u;
/**
 * The confidences are summed over at least this many Han words: one confident word read in the
 * garbage of a turned line (了 at 0.87 in half a heading upside down) is no upright line, and had
 * outvoted five poor words of the right way up by 0.58.
 */
const MIN_HAN_WORDS = 3;
/** Pixels darker than this count as ink when looking for the densest line. */
const INK_LEVEL = 128;
/**
 * Ink runs at least this long (inches) are ruling lines, not glyph strokes (a 16-pt CJK glyph is
 * ≈ 0.22 in): they neither choose the band (a table's top rule beside a heading outweighs the
 * heading) nor go to the recogniser (a rule across the strip, or one per cell, reads as noise).
 */
const RULE_RUN_INCHES = 0.25;
/** Rules are erased this many pixels wider on each side: JPEG blur leaves a grey fringe. */
const RULE_FRINGE_PX = 1;

/** Calls `run(start, end)` (end exclusive) for each unbroken ink run of `n` gray pixels at `first`, `first + step`, … */
function forEachRun(
  data: Uint8Array,
  first: number,
  step: number,
  n: number,
  run: (start: number, end: number) => void,
): void {
  forEachInkRun(data, first, step, n, 0, (from, to) => run(from, to + 1), INK_LEVEL);
}

/**
 * 1 on the pixels of vertical ink runs at least `ruleLen` long: the columns' runs followed row by
 * row (one open run per column), as a column-by-column scan would find them, without striding down
 * a 3500-row page once per column.
 */
function verticalRules(page: Raster, ruleLen: number): Uint8Array {
  const { width: w, height: h, data } = page;
  const vertical = new Uint8Array(w * h);
  const start = new Int32Array(w).fill(-1);
  for (let y = 0; y <= h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (y < h && data[row + x]! < INK_LEVEL) {
        if (start[x]! < 0) start[x] = y;
        continue;
      }
      const a = start[x]!;
      if (a < 0) continue;
      start[x] = -1;
      if (y - a >= ruleLen) for (let i = a * w + x; i < row; i += w) vertical[i] = 1;
    }
  }
  return vertical;
}

/**
 * Rows of the text line with the most glyph ink (horizontal and vertical rules left out): the densest band a glyph core high,
 * widened up and down to the blank rows around it (at most MAX_LINE_INCHES in all), so the strip holds
 * one whole line of text or of table labels, not the halves of two.
 */
function densestLine(page: Raster, ruleLen: number): { top: number; bottom: number } {
  // Vertical rules are left out too: counted, they put ink in every row they cross, so a table's
  // column rules (16 in table 四) bridged the gap between the two lines of wrapped header cells
  // (结果/维持), the strip took one line plus half the next, read as nothing, and the turned
  // candidate's garbage won (synth-1-1 light p3 came out upside down, table 四 lost).
  const vertical = verticalRules(page, ruleLen);
  const rows = new Float64Array(page.height);
  for (let y = 0; y < page.height; y++) {
    let glyphInk = 0;
    const row = y * page.width;
    forEachRun(page.data, row, 1, page.width, (a, b) => {
      if (b - a >= ruleLen) return;
      for (let x = a; x < b; x++) if (!vertical[row + x]) glyphInk++;
    });
    rows[y] = glyphInk;
  }
  const core = Math.max(1, Math.min(page.height, Math.round(CORE_INCHES * page.dpi)));
  let best = -1;
  let coreTop = 0;
  let sum = 0;
  for (let y = 0; y < page.height; y++) {
    sum += rows[y]!;
    if (y >= core) sum -= rows[y - core]!;
    if (y >= core - 1 && sum > best) {
      best = sum;
      coreTop = y - core + 1;
    }
  }
  let peak = 0;
  for (let y = coreTop; y < coreTop + core; y++) peak = Math.max(peak, rows[y]!);
  const blank = Math.max(1, BLANK_ROW_SHARE * peak);
  const reach = Math.round(((MAX_LINE_INCHES - CORE_INCHES) / 2) * page.dpi);
  let top = coreTop;
  while (top > 0 && coreTop - top < reach && rows[top - 1]! > blank) top--;
  let bottom = coreTop + core;
  while (bottom < page.height && bottom - coreTop - core < reach && rows[bottom]! > blank) bottom++;
  const pad = Math.round(PAD_INCHES * page.dpi);
  return { top: Math.max(0, top - pad), bottom: Math.min(page.height, bottom + pad) };
}

/** Paints ink runs of at least `ruleLen` pixels (rows and columns, and columns crossing the whole strip) white, with a fringe, in place. */
function eraseRules(strip: GrayRaster, ruleLen: number): void {
  const { width: w, height: h, data } = strip;
  const erase = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    forEachRun(data, y * w, 1, w, (a, b) => {
      if (b - a < ruleLen) return;
      for (let yy = Math.max(0, y - RULE_FRINGE_PX); yy <= Math.min(h - 1, y + RULE_FRINGE_PX); yy++)
        erase.fill(1, yy * w + a, yy * w + b);
    });
  }
  for (let x = 0; x < w; x++) {
    // A rule crossing the strip spans it top to bottom, however short the strip; a glyph has paper above and below.
    forEachRun(data, x, w, h, (a, b) => {
      if (b - a < ruleLen && (a > 0 || b < h)) return;
      for (let y = a; y < b; y++)
        erase.fill(1, y * w + Math.max(0, x - RULE_FRINGE_PX), y * w + Math.min(w, x + RULE_FRINGE_PX + 1));
    });
  }
  for (let i = 0; i < data.length; i++) if (erase[i]) data[i] = 255;
}

/**
 * prepareScan's 0-vs-180 judge: read the densest full-width text
 * line of each (deskewed) candidate, ruling lines erased, with the Chinese setup and score it by the
 * mean confidence of its Han words (over at least MIN_HAN_WORDS). Upside-down CJK reads as
 * low-confidence garbage, upright labels and prose read well; the higher score wins (two strip reads per page). A strip holding half of two
 * lines, or a table rule, reads as garbage either way up, and the garbage of the turned candidate
 * then won on some dev pages (a heading over a table's top rule; a table row crossed by cell rules).
 */
export function scoreUpright(engine: OcrEngine): UprightScorer {
  return async (candidate: Raster): Promise<number> => {
    const ruleLen = Math.round(RULE_RUN_INCHES * candidate.dpi);
    const { top, bottom } = densestLine(candidate, ruleLen);
    const strip = cropRaster(candidate, { x0: 0, y0: top, x1: candidate.width, y1: bottom });
    eraseRules(strip, ruleLen);
    const han = (await engine.readWords(strip, 'label', candidate.dpi)).filter((w) => HAN.test(w.text));
    return han.reduce((s, w) => s + w.confidence, 0) / Math.max(MIN_HAN_WORDS, han.length);
  };
}

/**
 * A page's prose pass, read as the page was levelled, holding at least this many Han words vouches
 * for its orientation on its own (the page is read as it is and turned only when its prose says so,
 * ocr-page.ts): a 表三 page's prose around its painted-out table is a title and a caption, 11–13.
 */
export const MIN_PROSE_HAN_WORDS = 8;
/**
 * …when their mean confidence is at least this. On the 28 quick dev pages (bench/ocr.ts --quick)
 * upright prose scored 0.90–0.95 and the same pages upside down 0.09–0.27 (docs/ocr-speed.md).
 */
export const SURE_PROSE_UPRIGHT = 0.6;

/**
 * The upright score of a page's prose reading: the mean confidence of its Han words, or null when
 * it holds too few of them to say (then the strip scorer decides as before).
 */
export function proseUprightScore(reading: PageReading | null): number | null {
  if (!reading) return null;
  const han = reading.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words.filter((w) => HAN.test(w.text))));
  if (han.length < MIN_PROSE_HAN_WORDS) return null;
  return han.reduce((s, w) => s + w.confidence, 0) / han.length;
}
