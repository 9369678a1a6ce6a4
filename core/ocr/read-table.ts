import type { Box, Cell, Table } from '../model/index.js';
import { cellKey } from '../raster/find-raster-tables.js';
import type { Raster } from '../raster/raster.js';
import type { OcrEngine } from './ocr-engine.js';
import { calibrateConfidence } from './calibrate-confidence.js';
import { digitPitch, digitSlots } from './digit-pitch.js';
import { readByShapes, stemOnes } from './page-digit-shapes.js';
import { readBoxPixels } from './read-box-pixels.js';
import {
  inspectCell,
  readCell,
  REREAD_BELOW,
  ringAsZero,
  SECOND_READER_CAP,
  type CellInk,
  type CellReading,
} from './read-cell.js';
import { strokeBeside } from './glyph-shapes.js';
import { labelShape, type LabelMemory } from './label-shapes.js';
import { joinLostLines, numberHeight, numberOrNothing } from './lost-lines.js';
import { planPrefix, readPrefixes } from './read-label-prefix.js';
import { planHead, readColumnHeads } from './read-column-heads.js';
import { settleCopies, settleTouching, touchingDigits } from './settle-copies.js';
import { fairPitch, numberColumns, settleStandardDigits } from './standard-digits.js';
import { zerosLikePage } from './flanks-zero.js';
import { T3_COLUMNS } from '../report/schema.js';

/**
 * On a page stretched from coarse lines (fax standard mode, 98 an inch) a number keeps at most this
 * raw confidence: below OCR_FLAG_THRESHOLD, so it is flagged unless a passing sum vouches for it. Its
 * strokes are one or two lines tall, and a 5 read as 4 scored 0.9 (表二, which no sum checks).
 */
const COARSE_CAP = 0.85;

export interface ReadTableOptions {
  /** The page was stretched from coarse scan lines (Raster.lineDpi). */
  readonly coarse?: boolean;
  /** The page came from fax lines (Raster.faxLines): its doubtful digits are read by its own sure ones too. */
  readonly faxLines?: boolean;
  /** The page's labels read so far, by shape (label-shapes.ts): a label printed again takes their reading. */
  readonly labels?: LabelMemory<CellReading>;
}

/** A label reading is lent to cells of the same shape only when at least this sure (read-cell's REREAD_BELOW). */
const SURE_LABEL = 0.9;

/** A reading another cell of the same printed shape may take as its own: a sure label, read without doubt. */
export function lendable(r: CellReading): boolean {
  return r.kind === 'label' && r.text !== '' && r.confidence >= SURE_LABEL && r.alternatives.length === 0;
}

/**
 * A number read by this page's digit shapes rather than the recogniser keeps at most this raw
 * confidence: flagged, and the cell says how it was read so no sum can make it trusted.
 */
const SHAPE_READ_CAP = 0.5;
/** A 1 on a table whose 4s and 7s thinned to stems (page-digit-shapes' stemOnes) keeps at most this: flagged unless a sum vouches. */
const STEM_CAP = 0.6;

/**
 * A cell is told number or label on the page as found (`ink`); a number is read from the page's
 * sharper digit copy too (Raster.digits, fax standard mode) when that copy sees a number there, as
 * is a one-row "label" whose only CJK-wide glyph may be touching digits (touchingDigits): its ink
 * (`sharp`) is then the one the page's digit shapes learn from.
 */
function sharpInk(
  raster: Raster,
  crop: Box,
  ink: CellInk | null,
  join: (ink: CellInk | null) => CellInk | null,
): CellInk | null {
  if (!raster.digits || !ink || (ink.kind !== 'digits' && !touchingDigits(ink))) return null;
  const sharp = join(inspectCell(raster.digits, crop, raster.dpi));
  return sharp?.kind === 'digits' || (touchingDigits(ink) && sharp?.rows === 1) ? sharp : null;
}

/** A number cell read from the page and, where it has one, from its sharper digit copy, settled into one reading. */
async function readCopies(
  raster: Raster,
  crop: Box,
  engine: OcrEngine,
  ink: CellInk | null,
  sharp: CellInk | null,
): Promise<CellReading> {
  const smooth = readCell(raster, crop, raster.dpi, engine, ink);
  if (!raster.digits || !sharp) return smooth;
  const settle = ink && touchingDigits(ink) ? settleTouching : settleCopies;
  return settle(await readCell(raster.digits, crop, raster.dpi, engine, sharp), await smooth);
}

/** A label cell this many text rows tall and narrower than this many points is set vertically. */
const VERTICAL_MIN_ROWS = 3;
const VERTICAL_MAX_WIDTH_PT = 24;

/**
 * Fill a raster table skeleton (D1's findRasterTables) with OCR: each cell is read from its crop
 * inside the rules. Long labels are read from their first characters when those name a template
 * row and the rows so named keep the template's order (read-label-prefix.ts); every other cell, and
 * a label whose prefix does not settle it, is read whole. Calls run concurrently; the engine's pool
 * queues them.
 */
export async function readTable(
  raster: Raster,
  skeleton: Table,
  tableIndex: number,
  crops: ReadonlyMap<string, Box>,
  engine: OcrEngine,
  opts: ReadTableOptions = {},
): Promise<Table> {
  const found = skeleton.cells.map((cell) => {
    const crop = crops.get(cellKey(tableIndex, cell.row, cell.col));
    return crop ? { crop, ink: inspectCell(raster, crop, raster.dpi) } : null;
  });
  // Standard-mode faxes only: a digit a lost scan line cut in two is one row (lost-lines.ts).
  const height = raster.digits ? numberHeight(found.map((s) => s?.ink)) : null;
  const join = (ink: CellInk | null): CellInk | null => joinLostLines(ink, height, raster.dpi);
  const seen = found.map((s) => {
    if (!s) return null;
    const ink = join(s.ink);
    return { crop: s.crop, ink, sharp: sharpInk(raster, s.crop, ink, join), joined: ink !== s.ink };
  });
  // Only a grid as wide as 表三 (its seven value columns and a label column) may hold its row labels:
  // the long labels of narrower tables (表二's captions) would only waste prefix reads.
  const wide = skeleton.cols > T3_COLUMNS.length;
  const plans = seen.map((s) => (wide && s?.ink?.kind === 'label' ? planPrefix(s.ink.ink) : null));
  // Not on fax pages (coarse or from fax lines): their labels stay as tuned.
  const lenient = opts.coarse !== true && opts.faxLines !== true;
  const prefixes = readPrefixes(raster, plans, skeleton.cells, engine, { lenient });
  // 表三's wrapped column heads, from their first row: over its value columns, in a grid narrower than 表四's.
  const headArea = lenient && wide && skeleton.cols < 2 * T3_COLUMNS.length;
  const heads = seen.map((s, i) =>
    headArea && !plans[i] && s?.ink?.kind === 'label' && skeleton.cells[i]!.col >= skeleton.cols - T3_COLUMNS.length
      ? planHead(s.ink.ink)
      : null,
  );
  const headings = readColumnHeads(raster, heads, skeleton.cells, engine);
  const readings = await Promise.all(
    skeleton.cells.map(async (_, i): Promise<CellReading | null> => {
      const s = seen[i];
      if (!s) return null;
      const byPrefix = plans[i] ? (await prefixes).get(i) : heads[i] ? (await headings).get(i) : undefined;
      if (byPrefix)
        return {
          text: byPrefix.text,
          confidence: byPrefix.confidence,
          alternatives: [],
          kind: 'label',
          rows: s.ink!.rows,
        };
      const itself = (): Promise<CellReading> =>
        readCopies(raster, s.crop, engine, s.ink, s.sharp).then((r) => (s.joined ? numberOrNothing(r) : r));
      const shape = opts.labels && s.ink?.kind === 'label' ? labelShape(s.ink.ink) : null;
      return shape ? opts.labels!.read(shape, itself) : itself();
    }),
  );
  // Fax pages only: their doubtful numbers are read once more from the ink box's own pixels, and a
  // lone digit read surely whose ink is a 0's ring becomes a doubtful 0.
  if (opts.faxLines) {
    await rereadBoxPixels(raster, seen, readings, engine);
    readings.forEach((r, i) => {
      const ink = seen[i]?.ink;
      if (r && ink) readings[i] = loneOne(ringAsZero(r, ink, true), ink);
    });
  }
  const pitch = digitPitch(readings.flatMap((r) => (r?.centres ? [{ ...r, centres: r.centres }] : [])));
  // Standard-mode faxes only: touching digits pulled apart, a 0 read from its flanks (standard-digits.ts).
  const fair = raster.digits ? fairPitch(readings, seen, pitch) : null;
  if (fair) await settleStandardDigits(skeleton.cells, seen, readings, fair, raster, engine);
  // Fax pages only: a doubtful cell printing the page's 0 as two flanks is a doubtful 0 (flanks-zero.ts).
  if (opts.faxLines) {
    const inks = seen.map((s) => {
      const ink = s?.sharp ?? s?.ink;
      return ink?.kind === 'digits' && ink.rows === 1 ? ink.ink : null;
    });
    zerosLikePage(readings, inks, numberColumns(skeleton.cells, seen), fair ?? pitch);
  }
  // Fax pages only: the scans the recogniser reads well were measured without it.
  const numbers = readings.map((r, i) => {
    const ink = seen[i]?.sharp ?? seen[i]?.ink;
    return r && ink && ink.kind === 'digits' && ink.rows === 1 ? { ...r, ink: ink.ink } : null;
  });
  const byShapes = opts.faxLines ? readByShapes(numbers, pitch) : [];
  // Only 表三 and 表四 print numbers enough to miss a digit: 表二's dozen would lose their 1s by chance.
  const stems = opts.faxLines && wide ? stemOnes(numbers) : [];
  const cells = skeleton.cells.map((cell, i): Cell => {
    const read = readings[i];
    if (!read) return cell;
    const shapes = byShapes[i];
    const shaped = shapes?.text;
    const stem = stems[i];
    const r: CellReading = shaped
      ? {
          ...read,
          text: shaped,
          kind: 'digits',
          confidence: Math.min(read.confidence, SHAPE_READ_CAP),
          alternatives: [...new Set([read.text, ...read.alternatives].filter((t) => t !== '' && t !== shaped))],
        }
      : stem
        ? {
            ...read,
            confidence: Math.min(read.confidence, STEM_CAP),
            alternatives: [...new Set([...read.alternatives, ...stem])],
          }
        : read;
    const vertical =
      r.kind === 'label' && r.rows >= VERTICAL_MIN_ROWS && cell.box.x1 - cell.box.x0 < VERTICAL_MAX_WIDTH_PT;
    return {
      ...cell,
      text: r.text,
      origin: 'ocr',
      confidence: calibrateConfidence(
        opts.coarse && r.kind === 'digits' ? Math.min(r.confidence, COARSE_CAP) : r.confidence,
      ),
      vertical,
      ...(r.alternatives.length > 0 ? { alternatives: r.alternatives } : {}),
      ...(r.glyphs !== undefined ? { glyphs: r.glyphs } : {}),
      ...(pitch && r.centres ? { slots: digitSlots(r.centres, pitch) } : {}),
      ...(shapes ? { shapes: shapes.digits } : {}),
      ...(shaped ? { shapeRead: true } : {}),
      // A fax can lose a minus's hairline whole: there, no ink where a sign would be is no evidence.
      ...(r.signless && lenient ? { signless: true } : {}),
    };
  });
  return { ...skeleton, cells };
}

/**
 * Doubtful one-row numbers of a fax page that their ink contradicts (not a whole number, or another
 * digit count than the ink printed) read from the ink box's own pixels (read-box-pixels.ts): a number
 * both framings read surely, with as many digits as the ink printed, replaces the reading. It stays
 * below the flag threshold (flagged unless a passing exact sum vouches), the old reading kept as an
 * alternative. In place.
 */
async function rereadBoxPixels(
  raster: Raster,
  seen: readonly ({ ink: CellInk | null } | null)[],
  readings: (CellReading | null)[],
  engine: OcrEngine,
): Promise<void> {
  await Promise.all(
    readings.map(async (r, i) => {
      const ink = seen[i]?.ink;
      if (!r || !ink?.ink.box || ink.kind !== 'digits' || ink.rows !== 1 || r.glyphs === undefined) return;
      // Only a reading its ink contradicts: not a whole number, or not as many digits as printed.
      if (r.confidence >= REREAD_BELOW || (/^\d+$/.test(r.text) && r.text.length === r.glyphs)) return;
      const text = await readBoxPixels(raster, ink.ink.box, raster.dpi, r.glyphs, engine);
      if (text === null || text === r.text) return;
      readings[i] = {
        ...r,
        text,
        kind: 'digits',
        confidence: SECOND_READER_CAP,
        alternatives: [...new Set([r.text, ...r.alternatives])].filter((t) => t !== '' && t !== text),
      };
    }),
  );
}

/** A lone 1 with a stroke beside its stem (glyph-shapes' strokeBeside) keeps at most this: flagged unless a sum vouches. */
const STROKE_BESIDE_CAP = 0.5;

/** A lone 1 whose ink holds a stroke beside the stem is doubtful, and may be the 0 whose other flank broke. */
function loneOne(r: CellReading, ink: CellInk): CellReading {
  if (r.text !== '1' || ink.rows !== 1 || ink.ink.glyphs.length !== 1 || !strokeBeside(ink.ink)) return r;
  return {
    ...r,
    confidence: Math.min(r.confidence, STROKE_BESIDE_CAP),
    alternatives: [...new Set([...r.alternatives, '0'])],
  };
}
