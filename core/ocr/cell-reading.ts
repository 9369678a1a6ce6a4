import type { LineKind } from './ocr-engine.js';

/** What reading one table cell gave: text, confidence and the evidence behind it. */
export interface CellReading {
  readonly text: string;
  /** 0…1. */
  readonly confidence: number;
  /** Other readings of the same cell that disagreed, kept as evidence. */
  readonly alternatives: readonly string[];
  readonly kind: 'blank' | LineKind;
  /** Text rows seen in the cell's ink. */
  readonly rows: number;
  /** A one-row number: how many digits its ink printed (upright glyphs; two thin arcs side by side are one 0). */
  readonly glyphs?: number;
  /** A one-row number: centres of its upright glyphs, pixels left to right (digit-pitch.ts counts digits by them). */
  readonly centres?: readonly number[];
  /** An unsigned number with nothing printed where a sign would be (minus-sign.ts noSignPrinted). */
  readonly signless?: boolean;
}
