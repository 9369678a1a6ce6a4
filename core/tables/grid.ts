import type { Box, Segment } from '../model/index.js';

/** A lattice found from ruling lines: anchors are the distinct rule positions, lines the merged rules. */
export interface Grid {
  readonly box: Box;
  /** Sorted y positions of the horizontal rules (top to bottom); rows lie between consecutive anchors. */
  readonly rowAnchors: readonly number[];
  /** Sorted x positions of the vertical rules (left to right). */
  readonly colAnchors: readonly number[];
  readonly hLines: readonly Segment[];
  readonly vLines: readonly Segment[];
  /** The top (bottom) anchor is where the vertical rules end, not a drawn rule: a row cut by a page break. */
  readonly openTop: boolean;
  readonly openBottom: boolean;
}

/** A cell of a grid before text is put in it. */
export interface CellFrame {
  readonly row: number;
  readonly col: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  readonly box: Box;
}
