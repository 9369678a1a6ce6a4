/**
 * Standard-mode fax numbers once the page's digit pitch is known: touching digits pulled apart and
 * read again (split-touching.ts), a 0 read from its two flanks (flanks-zero.ts). Only cells of number
 * columns: a one-row label of CJK-wide glyphs elsewhere is text.
 */
import type { Cell } from '../model/index.js';
import type { Raster } from '../raster/raster.js';
import type { CellInk } from './read-cell.js';
import type { CellReading } from './cell-reading.js';
import { ADVANCE_PER_HEIGHT, digitPitch } from './digit-pitch.js';
import { flanksAsZero } from './flanks-zero.js';
import type { OcrEngine } from './ocr-engine.js';
import { rereadTouching } from './split-touching.js';

/** Without a pitch from sure numbers, numbers read at least this sure give one (page-digit-shapes' fair pitch). */
const FAIR_CONFIDENCE = 0.6;
/** A column is a number column when at least this share of its inked cells look like one row of digits… */
const NUMBER_SHARE = 0.5;
/** …and it has at least this many of them. */
const MIN_NUMBERS = 2;

export interface SeenCell {
  readonly ink: CellInk | null;
  readonly sharp: CellInk | null;
}

/** Per cell, whether its column holds numbers (by the ink of its cells, before any reading). */
export function numberColumns(cells: readonly Cell[], seen: readonly (SeenCell | null)[]): boolean[] {
  const tally = new Map<number, { numbers: number; inked: number }>();
  cells.forEach((c, i) => {
    const ink = seen[i]?.ink;
    if (!ink) return;
    const t = tally.get(c.col) ?? { numbers: 0, inked: 0 };
    tally.set(c.col, { numbers: t.numbers + (ink.kind === 'digits' && ink.rows === 1 ? 1 : 0), inked: t.inked + 1 });
  });
  return cells.map((c) => {
    const t = tally.get(c.col);
    return t !== undefined && t.numbers >= MIN_NUMBERS && t.numbers >= NUMBER_SHARE * t.inked;
  });
}

/** Number cells a table needs for its digits' height to be known. */
const MIN_HEIGHTS = 5;

/** The advance of the table's digits guessed from their height (a 0 that lost its arcs is shorter: the tallest quarter). */
function pitchByHeight(seen: readonly (SeenCell | null)[]): number | null {
  const heights = seen
    .flatMap((s) => (s?.ink?.kind === 'digits' && s.ink.rows === 1 ? [s.ink.inkHeight] : []))
    .sort((a, b) => a - b);
  if (heights.length < MIN_HEIGHTS) return null;
  return ADVANCE_PER_HEIGHT * heights[Math.floor(0.75 * (heights.length - 1))]!;
}

/**
 * The page's digit pitch, else one from numbers read fairly well (a standard-mode page reads few
 * surely), else one guessed from the digits' height (a continued 表三 of zeros read at 0.6 teaches none).
 */
export function fairPitch(
  readings: readonly (CellReading | null)[],
  seen: readonly (SeenCell | null)[],
  pitch: number | null,
): number | null {
  // Not 11s: a 0's two flanks read 11 at 0.6 would teach their own spacing.
  const centred = readings.flatMap((r) => (r?.centres && !/^1+$/.test(r.text) ? [{ ...r, centres: r.centres }] : []));
  return pitch ?? digitPitch(centred, FAIR_CONFIDENCE) ?? pitchByHeight(seen);
}

/** In place: the one-row cells of number columns of a standard-mode page, touching digits and flanks re-read. */
export async function settleStandardDigits(
  cells: readonly Cell[],
  seen: readonly (SeenCell | null)[],
  readings: (CellReading | null)[],
  pitch: number,
  raster: Raster,
  engine: OcrEngine,
): Promise<void> {
  const { dpi, digits: sharp } = raster;
  const numeric = numberColumns(cells, seen);
  await Promise.all(
    readings.map(async (r, i) => {
      const s = seen[i];
      if (!r || !s?.ink || s.ink.rows !== 1 || !numeric[i]) return;
      const copies = [
        { raster, ink: s.ink.ink },
        ...(s.sharp?.rows === 1 ? [{ raster: sharp!, ink: s.sharp.ink }] : []),
      ];
      const split = await rereadTouching(r, copies, pitch, dpi, engine);
      readings[i] = split === r ? flanksAsZero(r, s.ink.ink, pitch) : split;
    }),
  );
}
