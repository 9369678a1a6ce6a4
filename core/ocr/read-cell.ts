import { cleanCrop } from './clean-crop.js';
import {
  breakTie,
  combineReadings,
  DISAGREEMENT_FACTOR,
  readingScore,
  readWide,
  settle,
  SMALL_GLYPH_PX,
  TIE_BREAK_CAP,
} from './settle-readings.js';
import { doubtReading, IMPLAUSIBLE_CAP, implausibleReading } from './doubt-reading.js';
import { faintInk } from './faint-ink.js';
import { NUMBER } from './number-text.js';
import { scaleRaster } from './crop-raster.js';
import { findInk, type InkReport } from './find-ink.js';
import { isRing, mendOvals } from './mend-ovals.js';
import { markSignless, signFromInk } from './minus-sign.js';
import { amountRead, separatorsRead } from './amount-reading.js';
import { glyphsToAccount, isSolid, isZeroByShape, onesByShape, printedDigits, uprightCount } from './glyph-shapes.js';
import type { CellReading } from './cell-reading.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';
import type { LineKind, LineOptions, LineReading, OcrEngine } from './ocr-engine.js';

/** A crop with no ink after binarisation is an empty cell: certain, and never sent to the recogniser. */
export const BLANK_CONFIDENCE = 0.99;
/** Readings whose weakest symbol is below this are read a second time from a different crop. */
export const REREAD_BELOW = 0.9;
/**
 * A number only the second recogniser could account for keeps at most this confidence: below the
 * flag threshold, so it is flagged unless passing sums vouch for it.
 */
export const SECOND_READER_CAP = 0.85;
/** A number read from glyph shapes alone (all thin strokes: 1, 11 …) keeps this: flagged unless passing sums vouch. */
const SHAPE_CAP = 0.6;
/** Sure one-digit readings a 0's ring overrules (ringAsZero): none of them has a counter a fax could round into a ring. */
const SURE_RING_OVERRULES = /^[1-57]$/;
/** A number read only once its broken ovals were closed (mend-ovals.ts): flagged unless passing sums vouch. */
const MENDED_CAP = 0.6;
/** A number that leaves upright glyphs of its ink unaccounted for (and no reading accounts for them). */
const GLYPHS_UNACCOUNTED_CAP = 0.5;
/** A label reading of a number-shaped cell this many characters or shorter may be a misread number (了 for 4, DO for 0). */
const MAX_GLYPH_LABEL = 2;
/** Quiet zone around the ink, as a share of the ink height: tesseract's line finder wants margin. */
const PAD_FIRST = 0.3;
const PAD_SECOND = 0.6;
/** How far inside the given crop to look (pixels at 300 dpi): crops stop just clear of the rule, its grey fringe may remain. */
const FRAME_INSET_300 = 1;

/**
 * A label reading must hold a letter or ideograph: digits with punctuation (1], (0 — the CJK model
 * adds a bracket beside a lone glyph) are a number the digits setup missed.
 */
const HAS_LETTER = /\p{L}/u;
export { NUMBER };

export type { CellReading };

/** What the ink of a cell looks like before any recognition. */
export interface CellInk {
  readonly ink: InkReport;
  readonly kind: LineKind;
  readonly rows: number;
  /** Height of one text row of ink, pixels. */
  readonly inkHeight: number;
}

const BLANK: CellReading = { text: '', confidence: BLANK_CONFIDENCE, alternatives: [], kind: 'blank', rows: 0 };
/** A crop called blank that still holds faint marks: a blank nobody can trust without a look. */
const FAINT_BLANK: CellReading = { ...BLANK, confidence: IMPLAUSIBLE_CAP };

/** Find a cell's ink inside its frame and guess its kind from the glyph shapes; null when blank. */
export function inspectCell(raster: GrayRaster, frame: PixelBox, dpi: number): CellInk | null {
  const inset = FRAME_INSET_300 * (dpi / 300);
  const ink = findInk(
    raster,
    { x0: frame.x0 + inset, y0: frame.y0 + inset, x1: frame.x1 - inset, y1: frame.y1 - inset },
    dpi,
  );
  if (!ink.box) return null;
  const rows = ink.rows;
  return {
    ink,
    rows,
    kind: rows > 1 || ink.wide ? 'label' : 'digits',
    inkHeight: (ink.box.y1 - ink.box.y0) / Math.max(1, rows),
  };
}

/**
 * Read one table cell from a page raster: find the ink inside the frame (rules and specks dropped),
 * decide label or number from the glyph shapes, recognise a clean tight crop, and re-read doubtful
 * cells from a second crop (binarised, more margin, upscaled when small), keeping the agreement.
 */
export async function readCell(
  raster: GrayRaster,
  frame: PixelBox,
  rasterDpi: number,
  engine: OcrEngine,
  /** The cell's ink when the caller has already inspected it (inspectCell). */
  inspected?: CellInk | null,
): Promise<CellReading> {
  const seen = inspected === undefined ? inspectCell(raster, frame, rasterDpi) : inspected;
  if (!seen) return faintInk(raster, frame, rasterDpi) ? FAINT_BLANK : BLANK;
  const reading = await recognise(raster, seen, rasterDpi, engine);
  const held =
    reading.kind === 'digits' && seen.rows <= 1
      ? await holdToGlyphs(reading, raster, seen, rasterDpi, engine)
      : reading;
  const read = signFromInk(doubtReading(ringAsZero(held, seen), seen), seen.ink, SHAPE_CAP);
  // Counted from the ink's shape, whatever the recogniser made of it (a fax 7 read as 站).
  if (seen.kind !== 'digits' || seen.rows !== 1) return read;
  const centres = seen.ink.glyphs.map((g) => seen.ink.crop.x0 + g.x0 + g.width / 2);
  const grouped =
    implausibleReading(read, seen) === null
      ? await separatorsRead(read, raster, seen.ink, seen.inkHeight, rasterDpi, engine)
      : read;
  return { ...markSignless(grouped, raster, seen.ink), glyphs: printedDigits(seen.ink), centres };
}

/**
 * A doubtful one-glyph reading whose ink (its broken ovals closed) is a ring is a 0: a fax 0 that
 * kept part of a hairline reads as 8, 9 or 6, whose counters are two, or smaller and off-centre.
 * Still doubtful: only a passing sum vouches for it. `sure`: a lone digit without a counter of its
 * own read with confidence too (fax pages: 洪泽区's fine-mode 0s read as 4 at 0.97 and 0.93, rings
 * both); a sure 6, 8 or 9 stays, its counter rounded by the fax (a dev fax's 6s at 0.995 ring too).
 */
export function ringAsZero(reading: CellReading, seen: CellInk, sure = false): CellReading {
  if (reading.kind !== 'digits' || reading.text === '0' || seen.rows !== 1) return reading;
  if (reading.confidence >= REREAD_BELOW && !(sure && SURE_RING_OVERRULES.test(reading.text))) return reading;
  if (!isZeroByShape(seen.ink)) return reading;
  return {
    ...reading,
    text: '0',
    confidence: Math.min(reading.confidence, MENDED_CAP),
    alternatives: [...(reading.text === '' ? [] : [reading.text]), ...reading.alternatives].filter((t) => t !== '0'),
  };
}

/** True when `next` holds the digits of `first` in order (it may add some): '1' → '11', '' → anything, '0' ↛ '11'. */
function keepsDigits(first: string, next: string): boolean {
  const want = first.replace(/\D/g, '');
  let i = 0;
  for (const d of next) if (i < want.length && d === want[i]) i++;
  return i === want.length;
}

/**
 * A number must account for every separate upright glyph in its ink. When it does not (a lost 1 of
 * "11", a lone 1 read as nothing), the second recogniser reads the cell; its reading, or another
 * reading of the cell, is taken when it accounts for the glyphs exactly and keeps the digits the
 * first reading saw, as a doubtful one (flagged unless passing sums vouch for it). Glyphs that are
 * all straight thin strokes a digit apart are read as 1s by their shape, as doubtful too. Otherwise
 * the first reading stays, its confidence capped so that it is flagged unless passing sums vouch.
 */
async function holdToGlyphs(
  reading: CellReading,
  raster: GrayRaster,
  seen: CellInk,
  rasterDpi: number,
  engine: OcrEngine,
): Promise<CellReading> {
  const all = seen.ink.glyphs;
  const glyphs = all.filter(isSolid).length;
  if (NUMBER.test(reading.text) && uprightCount(reading.text) >= glyphs) {
    // A lone thin curved stroke may be a 1 a dropout broke (17 read as 4): a reading that leaves one
    // unaccounted for is doubtful.
    return uprightCount(reading.text) >= glyphsToAccount(seen.ink)
      ? reading
      : { ...reading, confidence: Math.min(reading.confidence, GLYPHS_UNACCOUNTED_CAP) };
  }
  const alt = await reread(raster, seen.ink, seen.inkHeight, rasterDpi, engine, 1, 'digits', { second: true });
  const earlier = [...(reading.text === '' ? [] : [reading.text]), ...reading.alternatives];
  // The second reader first, then the cell's other readings (the label setup's 1] is 1: it adds brackets beside a lone glyph).
  const candidates: { text: string; confidence: number }[] = [
    { text: alt.text, confidence: readingScore(alt, 'digits') },
    ...reading.alternatives.map((text) => ({
      text: text.replace(/[^\d.+-]/g, ''),
      confidence: SECOND_READER_CAP * DISAGREEMENT_FACTOR,
    })),
  ];
  // A candidate may add the glyphs the first reading lost, never replace the ones it saw (a 0 beside a
  // fax streak is not 11).
  const accounted = candidates.find(
    (c) =>
      NUMBER.test(c.text) &&
      uprightCount(c.text) === glyphs &&
      c.text !== reading.text &&
      keepsDigits(reading.text, c.text),
  );
  if (accounted)
    return {
      text: accounted.text,
      confidence: Math.min(accounted.confidence, SECOND_READER_CAP),
      alternatives: [...earlier, ...(alt.text !== '' && alt.text !== accounted.text ? [alt.text] : [])].filter(
        (t) => t !== accounted.text,
      ),
      kind: 'digits',
      rows: reading.rows,
    };
  // The wide quiet zone read a lost leading digit whole (447 read as 47 by both crops).
  const wide = await readWide(raster, seen.ink, seen.inkHeight, rasterDpi, engine);
  if (NUMBER.test(wide.text) && uprightCount(wide.text) === glyphs && keepsDigits(reading.text, wide.text))
    return {
      text: wide.text,
      confidence: Math.min(readingScore(wide, 'digits'), TIE_BREAK_CAP),
      alternatives: [...new Set([...earlier, alt.text])].filter((t) => t !== '' && t !== wide.text),
      kind: 'digits',
      rows: reading.rows,
    };
  const ones = onesByShape(seen.ink);
  if (ones !== null && keepsDigits(reading.text, ones)) {
    if (ones !== reading.text)
      return {
        text: ones,
        confidence: SHAPE_CAP,
        alternatives: [...earlier, ...(alt.text !== '' && alt.text !== ones ? [alt.text] : [])],
        kind: 'digits',
        rows: reading.rows,
      };
  }
  if (reading.text === '') return reading;
  const alternatives =
    alt.text !== '' && alt.text !== reading.text ? [...reading.alternatives, alt.text] : reading.alternatives;
  return { ...reading, confidence: Math.min(reading.confidence, GLYPHS_UNACCOUNTED_CAP), alternatives };
}

/**
 * The recogniser's readings of a cell with ink; a number-shaped cell that none of them reads as a
 * number is read once more with its broken ovals closed (a fax 0 read as `U`, `人` or nothing).
 */
async function recognise(
  raster: GrayRaster,
  seen: CellInk,
  rasterDpi: number,
  engine: OcrEngine,
): Promise<CellReading> {
  const read = await recogniseAsIs(raster, seen, rasterDpi, engine);
  if (seen.kind !== 'digits' || seen.rows > 1 || NUMBER.test(read.text)) return read;
  const mended =
    (await readMended(raster, seen, rasterDpi, engine)) ??
    (await readWhitelisted(raster, seen, read, rasterDpi, engine));
  return mended ? { ...mended, alternatives: read.text === '' ? [] : [read.text], rows: read.rows } : read;
}

/**
 * A number-shaped cell whose digits setup read nothing and whose label setup read a glyph or two
 * (a clean Times 4 as 了 at 0.97, a 1 as 上, a clean Noto Sans 0 as U or DO): a lone ring is a 0
 * and thin straight strokes are 1s by their shape, else the second recogniser (the CJK model held
 * to digits) reads the binarised crop, and a number that accounts for every upright glyph of the
 * ink is kept. Each as a doubtful reading (flagged unless passing sums vouch); else the label
 * stays. An unparsable zero had skipped every sum through its row and column.
 */
async function readWhitelisted(
  raster: GrayRaster,
  seen: CellInk,
  read: CellReading,
  dpi: number,
  engine: OcrEngine,
): Promise<Omit<CellReading, 'alternatives' | 'rows'> | null> {
  if ([...read.text].length > MAX_GLYPH_LABEL) return null;
  if (seen.ink.glyphs.length === 1 && isZeroByShape(seen.ink))
    return { text: '0', confidence: MENDED_CAP, kind: 'digits' };
  const ones = onesByShape(seen.ink);
  if (ones !== null) return { text: ones, confidence: SHAPE_CAP, kind: 'digits' };
  const r = await reread(raster, seen.ink, seen.inkHeight, dpi, engine, 1, 'digits', { second: true });
  if (!NUMBER.test(r.text) || uprightCount(r.text) !== seen.ink.glyphs.filter(isSolid).length) return null;
  return { text: r.text, confidence: Math.min(readingScore(r, 'digits'), SECOND_READER_CAP), kind: 'digits' };
}

/** The recogniser's readings of a cell with ink: label or number, re-read when doubtful. */
async function recogniseAsIs(
  raster: GrayRaster,
  seen: CellInk,
  rasterDpi: number,
  engine: OcrEngine,
): Promise<CellReading> {
  const { ink, rows, inkHeight } = seen;
  let kind = seen.kind;
  const crop = cleanCrop(raster, ink, { pad: inkHeight * PAD_FIRST, gray: true });
  if (!crop) return BLANK;
  // Small glyphs (≈ 20 px on 200-dpi scans) lose digits in the recogniser: read them at a workable size.
  const up = inkHeight < SMALL_GLYPH_PX ? SMALL_GLYPH_PX / inkHeight : 1;
  const first = up > 1 ? scaleRaster(crop, up) : crop;
  const dpi = rasterDpi * up;
  let a = await engine.readLine(first, kind, dpi, rows);
  /** Readings of other setups that saw digits: evidence for holdToGlyphs. */
  const seenDigits: string[] = [];
  if (kind === 'digits' && !NUMBER.test(a.text) && a.weakest < REREAD_BELOW) {
    // Not a number after all (a dash, a short label such as 其他): read it as text.
    const asLabel = await engine.readLine(first, 'label', dpi, rows);
    const amount = amountRead(asLabel, a, rows, SECOND_READER_CAP, seen.ink);
    if (amount) return amount;
    if (asLabel.confidence > a.confidence && HAS_LETTER.test(asLabel.text)) {
      kind = 'label';
      a = asLabel;
    } else if (asLabel.confidence > a.confidence && NUMBER.test(asLabel.text)) {
      a = asLabel; // the CJK model read the number the digits setup missed; still held to the glyphs below
    } else if (/\d/.test(asLabel.text)) seenDigits.push(asLabel.text);
  } else if (
    kind === 'label' &&
    rows === 1 &&
    /\d/.test(a.text) &&
    (a.text.match(/\p{Script=Han}/gu) ?? []).length <= 1
  ) {
    // Touching digits, or a digit beside a rule remnant, look wide; a "label" that is mostly digits
    // is re-read with the digits setup, and the disagreement is kept as evidence.
    const asDigits = await engine.readLine(first, 'digits', dpi, rows);
    const amount = amountRead(a, asDigits, rows, SECOND_READER_CAP, seen.ink);
    if (amount) return amount;
    if (NUMBER.test(asDigits.text)) {
      const clean = a.text.replace(/\s/g, '') === asDigits.text;
      kind = 'digits';
      if (!clean) {
        const alt = await reread(raster, ink, inkHeight, rasterDpi, engine, rows);
        const both = combineReadings(asDigits, alt, 'digits');
        // The label reading saw other digits: the digits setup agreeing with itself is not enough.
        const labelDigits = a.text.replace(/[^\d.+-]/g, '');
        if (labelDigits !== both.text && NUMBER.test(labelDigits)) {
          const { agreed, wide } = await settle([labelDigits], raster, seen.ink, seen.inkHeight, rasterDpi, engine);
          if (agreed) {
            const alternatives = [...new Set([asDigits.text, alt.text, wide])].filter(
              (t) => t !== '' && t !== agreed.text,
            );
            return { ...agreed, alternatives, kind, rows };
          }
        }
        const confidence = labelDigits !== both.text ? both.confidence * DISAGREEMENT_FACTOR : both.confidence;
        return {
          ...both,
          confidence,
          alternatives: [a.text, ...(alt.text !== asDigits.text && alt.text !== '' ? [alt.text] : [])],
          kind,
          rows,
        };
      }
      a = asDigits;
    }
  }
  if (readingScore(a, kind) >= REREAD_BELOW)
    return { text: a.text, confidence: readingScore(a, kind), alternatives: seenDigits, kind, rows };
  const b = await reread(raster, ink, inkHeight, rasterDpi, engine, rows, kind);
  const both =
    kind === 'digits' && rows === 1 && a.text !== b.text && NUMBER.test(a.text) && NUMBER.test(b.text)
      ? await breakTie(a, b, raster, seen.ink, seen.inkHeight, rasterDpi, engine)
      : combineReadings(a, b, kind);
  return { ...both, alternatives: [...both.alternatives, ...seenDigits], kind, rows };
}

/**
 * A digits cell the recogniser could not read as a number, read again with its broken ovals closed
 * (a 0 whose hairlines a fax lost reads as `U` or nothing): a number is kept, as a doubtful reading.
 */
async function readMended(
  raster: GrayRaster,
  seen: CellInk,
  dpi: number,
  engine: OcrEngine,
): Promise<Omit<CellReading, 'alternatives' | 'rows'> | null> {
  const mask = mendOvals(seen.ink);
  if (!mask) return null;
  // A lone closed ring is a 0 by its shape (ringAsZero); the recogniser misses a lone glyph at times.
  if (isRing(mask, seen.ink.crop.x1 - seen.ink.crop.x0, seen.ink.crop.y1 - seen.ink.crop.y0))
    return { text: '0', confidence: MENDED_CAP, kind: 'digits' };
  const crop = cleanCrop(raster, { ...seen.ink, mask }, { pad: seen.inkHeight * PAD_SECOND, gray: false });
  if (!crop) return null;
  const up = seen.inkHeight < SMALL_GLYPH_PX ? SMALL_GLYPH_PX / seen.inkHeight : 1;
  const r = await engine.readLine(up > 1 ? scaleRaster(crop, up) : crop, 'digits', dpi * up, 1);
  if (!NUMBER.test(r.text)) return null;
  return { text: r.text, confidence: Math.min(readingScore(r, 'digits'), MENDED_CAP), kind: 'digits' };
}

/** The second reading of a cell: the kept ink binarised, more margin, upscaled when the glyphs are small. */
async function reread(
  raster: GrayRaster,
  ink: InkReport,
  inkHeight: number,
  dpi: number,
  engine: OcrEngine,
  rows: number,
  kind: LineKind = 'digits',
  opts: LineOptions = {},
): Promise<LineReading> {
  const binary = cleanCrop(raster, ink, { pad: inkHeight * PAD_SECOND, gray: false });
  if (!binary) return { text: '', confidence: 0, weakest: 0 };
  const second = inkHeight < SMALL_GLYPH_PX ? scaleRaster(binary, SMALL_GLYPH_PX / inkHeight) : binary;
  return engine.readLine(second, kind, dpi * (second.height / binary.height), rows, opts);
}
