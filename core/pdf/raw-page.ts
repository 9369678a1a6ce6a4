import type { Box, Rotation, Segment, Size } from '../model/index.js';

/** A run whose reported height exceeds this many ems was set in a vertical font: it runs downwards. */
export const VERTICAL_RUN = 1.5;

/** One run of text as pdf.js reports it, placed on the upright page (top-left origin, points). */
export interface Glyph {
  readonly text: string;
  readonly box: Box;
  /** Font size in points (height of the em square on the page). */
  readonly size: number;
  /** Reading direction on the upright page: 0 = left to right; others are rotated runs. */
  readonly dir: Rotation;
}

/** A filled rectangle that is too large to be a rule: cell shading, backgrounds. */
export interface FilledRect {
  readonly box: Box;
  /** Luminance of the fill colour, 0 (black) … 1 (white). */
  readonly luminance: number;
}

/** Counts from the content stream that tell whether the text layer can be trusted. */
export interface TextStats {
  /** Characters shown by text operators. */
  readonly shown: number;
  /** Characters shown with render mode 3 (invisible) or 7 (clip only). */
  readonly hidden: number;
  /** Glyphs whose font has no Unicode mapping (pdf.js gives no `unicode`). */
  readonly unmapped: number;
}

/** What a PDF page contains before any interpretation. */
export interface RawPage {
  readonly number: number;
  /** Size as seen upright (after /Rotate and any detected table rotation). */
  readonly size: Size;
  /** Clockwise rotation applied to make the page upright. */
  readonly rotation: Rotation;
  readonly glyphs: readonly Glyph[];
  readonly segments: readonly Segment[];
  readonly fills: readonly FilledRect[];
  /** Fraction 0…1 of the page area covered by images (a scan is ≈ 1). */
  readonly imageCoverage: number;
  readonly textStats: TextStats;
}
