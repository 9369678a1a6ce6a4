import type { Box } from './geometry.js';
import type { Origin } from './text.js';

/** One cell of a reconstructed grid. Spanned positions are covered by the cell at its top-left corner. */
export interface Cell {
  readonly row: number;
  readonly col: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  /** 1-based page the cell sits on (a stitched table spans pages). */
  readonly page: number;
  readonly box: Box;
  /** Text joined in reading order; multi-line text joined without spurious spaces between CJK characters. */
  readonly text: string;
  readonly origin: Origin;
  /** 0…1 confidence in `text`. */
  readonly confidence: number;
  /** The cell has a grey fill (shaded captions). */
  readonly shaded: boolean;
  /** Text in the cell was set vertically (one character per line, top to bottom). */
  readonly vertical: boolean;
  /** OCR only: other readings of the same crop that disagreed, kept as evidence. */
  readonly alternatives?: readonly string[];
  /** OCR only, one-row numbers: how many digits the ink printed (separate upright glyphs), whatever was read. */
  readonly glyphs?: number;
  /** OCR only, one-row numbers: digits printed, counted by this page's digit pitch (exact where glyphs only approximate). */
  readonly slots?: number;
  /** OCR only: the text is what this page's own sure digits make of the ink (page-digit-shapes.ts), not the recogniser's reading. */
  readonly shapeRead?: boolean;
  /** OCR only, doubtful numbers: each digit as the page's sure digits classify its ink, `?` where they cannot tell. */
  readonly shapes?: string;
  /** OCR only, unsigned numbers: nothing is printed where a sign would be (not asked on fax pages). */
  readonly signless?: boolean;
}

/** How the grid was found: vector ruling lines, raster ruling lines (scans), or text alignment only. */
export type TableDetection = 'ruled' | 'raster' | 'aligned';

export interface Table {
  /** Stable within a document, e.g. `p2-t1` (first table on page 2), `p2-t1+p3-t1` after stitching. */
  readonly id: string;
  readonly pages: readonly number[];
  readonly rows: number;
  readonly cols: number;
  readonly cells: readonly Cell[];
  readonly detection: TableDetection;
  /** 0…1: how sure we are the grid is right (lower for aligned tables). */
  readonly confidence: number;
  /** Bounding box on its first page. */
  readonly box: Box;
}
