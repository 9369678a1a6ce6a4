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

/** The lattice mirrored across its diagonal: rows become columns, so one repair serves both axes. */
export function transposeGrid(grid: Grid): Grid {
  const flip = (l: Segment): Segment => ({ ...l, axis: l.axis === 'h' ? 'v' : 'h' });
  const { box } = grid;
  return {
    ...grid,
    box: { x0: box.y0, y0: box.x0, x1: box.y1, y1: box.x1 },
    rowAnchors: grid.colAnchors,
    colAnchors: grid.rowAnchors,
    hLines: grid.vLines.map(flip),
    vLines: grid.hLines.map(flip),
  };
}
