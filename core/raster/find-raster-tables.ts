import type { Box, Cell, Segment, Table } from '../model/index.js';
import { buildCells } from '../tables/build-cells.js';
import { findGrids } from '../tables/find-grids.js';
import type { CellFrame, Grid } from '../tables/grid.js';
import { estimateCurl, uncurlBinary, uncurlRaster } from './correct-curl.js';
import { estimatePerspective } from './correct-perspective.js';
import { flattenShading } from './flatten-shading.js';
import { warpBinary, warpRaster } from './warp-image.js';
import { textScaleDpi } from './estimate-text-scale.js';
import { droppedStreaks, dropStreaks, eraseStreaks } from './drop-streaks.js';
import {
  adoptColumnRules,
  extendAtOpenTop,
  extendToBorder,
  extendToDashedBorder,
  extendToDashedRowBorder,
} from './extend-to-border.js';
import { findRasterLines, linesToSegments, MAX_COARSE_RULE_INCHES } from './find-raster-lines.js';
import { completeRuleDashes, mendDashedColumnEdges, mendDashedEdges } from './repair-dashed-rules.js';
import { cropInside, isShaded, isVerticalText } from './cell-crop.js';
import { dropDashRows } from './drop-dash-rows.js';
import { inferLostRules } from './infer-lost-rules.js';
import { railGrids } from './rail-grids.js';
import { mendDashedColumns, verticalPieces, type VerticalPiece } from './mend-dashed-columns.js';
import type { PreparedScan } from './prepare-scan.js';
import { inkShare, pxToPt, transpose, type BinaryRaster, type Raster } from './raster.js';

/** Raster grids are found from noisy pixels: a notch below vector-ruled tables (0.95). */
const RASTER_CONFIDENCE = 0.85;
/** Grids smaller than this (inches) in either direction are boxes around a glyph or a checkbox; one row of 10-pt text is ≈ 0.2 in. */
const MIN_TABLE_INCHES = 0.15;
/** Share of ink in a crop above which it holds writing rather than speckles. */
const MIN_TEXT_INK = 0.01;

export interface RasterTables {
  /** Table skeletons in PDF points of the upright, deskewed page; every cell's text is '' until OCR fills it. */
  readonly tables: readonly Table[];
  /** Tight crop (pixels of `prepared.raster`, x1/y1 exclusive) inside the ruling lines of each cell, keyed by `cellKey`. */
  readonly cellCrops: ReadonlyMap<string, Box>;
  /** The ruling lines found, in points. */
  readonly segments: readonly Segment[];
  /**
   * Set when the page was rectified (a keystoned or curled photo) or its light evened out: the page
   * that boxes and crops refer to, to be read instead of `prepared.raster`.
   */
  readonly raster?: Raster;
}

export interface FindOptions {
  /**
   * The page was stretched from coarse scan lines (fax standard mode, Raster.lineDpi): thin
   * horizontal rules fell between lines, and rows are put back from the gaps between text rows.
   */
  readonly coarse?: boolean;
  /**
   * The page came from fax scan lines (Raster.faxLines), fine mode too: hairline rules broke into
   * dashes (joined by findRasterLines) or vanished at the threshold, and rows are put back as for
   * `coarse` (洪泽区's faxed 表三: 6 of 16 rows found on one fax of its page, 16 so).
   */
  readonly faxLines?: boolean;
}

/** Scan lines of a fax page: standard mode (98 lines an inch, `coarse`) or fine; undefined otherwise. */
type FaxMode = 'standard' | 'fine' | undefined;

/** The pixels tables are looked for in: the prepared page, or its rectified copy. */
type Pixels = Pick<PreparedScan, 'raster' | 'binary' | 'lineBinary'>;

/** A rectified grid with at least this share of the unwarped grid's cells (and no fewer tables) is kept: split columns inflated the other. */
const KEEP_RECTIFIED_SHARE = 0.6;
/** A measured scale within this share of the declared dpi is taken as agreeing with it. */
const SCALE_TOLERANCE = 0.15;

/** Key of a cell crop: index of the table in `tables` (0-based), then the cell's row and column. */
export function cellKey(tableIndex: number, row: number, col: number): string {
  return `${tableIndex}:${row}:${col}`;
}

/**
 * Ruled tables of a prepared scan: raster ruling lines → segments in points → the shared lattice
 * (core/tables findGrids/buildCells, spans from missing edges) → Table skeletons plus, per cell,
 * a crop box inset past the rule thickness so OCR never sees the lines.
 *
 * A photographed form is keystoned: its rules converge, and tilted rules break into pieces no
 * axis-parallel search joins. When the rules' families converge (estimatePerspective) the page is
 * warped back to a rectangle and searched again; the rectified page is kept when it gives at least
 * as many cells, and returned as `raster` for OCR to read from.
 */
export function findRasterTables(
  scan: PreparedScan,
  pageNumber: number,
  firstIndex = 1,
  opts: FindOptions = {},
): RasterTables {
  // Uneven light (a photo) is evened out first: crops are read and caption shade judged from this raster.
  const flat = flattenShading(scan.raster);
  const found = straightTables(flat ? { ...scan, raster: flat } : scan, pageNumber, firstIndex, opts);
  return flat && !found.raster ? { ...found, raster: flat } : found;
}

function straightTables(
  prepared: PreparedScan,
  pageNumber: number,
  firstIndex: number,
  opts: FindOptions,
): RasterTables {
  const declared = prepared.binary.dpi;
  let lineDpi = declared;
  const fax: FaxMode = opts.coarse === true ? 'standard' : opts.faxLines === true ? 'fine' : undefined;
  let found = tablesIn(prepared, pageNumber, firstIndex, declared, fax);
  // Rules are judged at the page's real scale, and a photo's placeholder dpi (72 in the file, 300
  // assumed) can make one row's vertical rules "too short". On colour pages (phone photos) the
  // glyph size gives a second scale; the one that finds more cells wins, the declared one on a tie
  // (a stamped 200-dpi scan lost two columns at its glyph scale). Gray fax scans keep their dpi:
  // speckle swamps the glyph statistics there.
  if (prepared.lineBinary) {
    const measured = textScaleDpi(prepared.binary);
    if (Math.abs(measured - declared) > SCALE_TOLERANCE * declared) {
      const atMeasured = tablesIn(prepared, pageNumber, firstIndex, measured, fax);
      if (atMeasured.cellCrops.size > found.cellCrops.size) [found, lineDpi] = [atMeasured, measured];
    }
  }
  const fix = estimatePerspective({ ...(prepared.lineBinary ?? prepared.binary), dpi: lineDpi });
  if (!fix) return uncurled(prepared, found, pageNumber, firstIndex, lineDpi, fax);
  const rectified: Pixels = {
    raster: warpRaster(prepared.raster, fix.toSource),
    binary: warpBinary(prepared.binary, fix.toSource),
    ...(prepared.lineBinary ? { lineBinary: warpBinary(prepared.lineBinary, fix.toSource) } : {}),
  };
  const straight = tablesIn(rectified, pageNumber, firstIndex, lineDpi, fax);
  // Only a clear keystone gets here (estimatePerspective ignores a few pixels of wobble); its unwarped
  // grid is often wrong even when it has as many cells (tilted rules split rows), or more: leaning
  // rules split each column in two (a photographed 13 × 4 table came out 13 × 5, an 11 × 10 one
  // 11 × 15). The rectified grid is kept unless it loses a table or most of the cells.
  const better =
    straight.tables.length > 0 &&
    (straight.cellCrops.size >= found.cellCrops.size ||
      (straight.tables.length >= found.tables.length &&
        straight.cellCrops.size >= KEEP_RECTIFIED_SHARE * found.cellCrops.size));
  return better
    ? uncurled(rectified, { ...straight, raster: rectified.raster }, pageNumber, firstIndex, lineDpi, fax)
    : uncurled(prepared, found, pageNumber, firstIndex, lineDpi, fax);
}

/**
 * The tables again after the page's curl is taken out (correct-curl: rules bending near a lifted
 * edge), when the rules found bend and the straightened page gives no fewer tables and cells.
 */
function uncurled(
  page: Pixels,
  found: RasterTables,
  pageNumber: number,
  firstIndex: number,
  lineDpi: number,
  fax: FaxMode,
): RasterTables {
  const shift = estimateCurl(page.lineBinary ?? page.binary, found.segments);
  if (!shift) return found;
  const straight: Pixels = {
    raster: uncurlRaster(page.raster, shift),
    binary: uncurlBinary(page.binary, shift),
    ...(page.lineBinary ? { lineBinary: uncurlBinary(page.lineBinary, shift) } : {}),
  };
  const again = tablesIn(straight, pageNumber, firstIndex, lineDpi, fax);
  const better = again.tables.length >= found.tables.length && again.cellCrops.size > found.cellCrops.size;
  return better ? { ...again, raster: straight.raster } : found;
}

function tablesIn(page: Pixels, pageNumber: number, firstIndex: number, lineDpi: number, fax: FaxMode): RasterTables {
  const { binary, raster } = page;
  const standard = fax === 'standard';
  const scaled = (b: BinaryRaster): BinaryRaster => (b.dpi === lineDpi ? b : { ...b, dpi: lineDpi });
  const raw = findRasterLines(scaled(binary), page.lineBinary ? [scaled(page.lineBinary)] : [], {
    ...(standard ? { maxThickInches: MAX_COARSE_RULE_INCHES } : {}),
    dashes: fax !== undefined,
  });
  const lines = dropStreaks(raw, binary.height, standard);
  // A fax page's lattice repairs look for paper and dashes on the page without its sensor streaks.
  const streaks = fax ? droppedStreaks(raw, lines) : [];
  const clean = eraseStreaks(binary, streaks);
  const pieces = fax ? verticalPieces(clean) : [];
  const cleanT = fax
    ? { ...clean, width: clean.height, height: clean.width, data: transpose(clean.data, clean.width, clean.height) }
    : undefined;
  // Thin pieces in points, down and across (`at` is y for the row pieces): dashed borders, standard mode.
  const inPoints = (ps: readonly VerticalPiece[]): VerticalPiece[] =>
    ps.map((p) => ({ at: pxToPt(p.at, clean.dpi), from: pxToPt(p.from, clean.dpi), to: pxToPt(p.to, clean.dpi) }));
  const columnPieces = standard ? inPoints(pieces) : [];
  const rowPieces = standard ? inPoints(verticalPieces(cleanT!)) : [];
  // The lattice's tolerances are in points, so it runs at the rules' scale; boxes return to page points after.
  const k = lineDpi / binary.dpi;
  const toPage = (b: Box): Box => (k === 1 ? b : { x0: b.x0 * k, y0: b.y0 * k, x1: b.x1 * k, y1: b.y1 * k });
  const minSize = MIN_TABLE_INCHES * 72;
  const tables: Table[] = [];
  const cellCrops = new Map<string, Box>();
  const segments = linesToSegments(lines, lineDpi);
  const latticed = findGrids(segments, { loneRule: standard });
  // Standard mode: a table that kept only its vertical rules is a lattice of one band between its borders.
  const ruledGrids = standard
    ? [...latticed, ...railGrids(segments, latticed)].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0)
    : latticed;
  const repaired = ruledGrids.map((ruled) => {
    // Standard mode first widens the lattice to its border and completes row rules left as dashes;
    // every fax page then gets back column rules left as dashes, rows lost to the threshold and edges
    // lost in a few columns.
    const widened = standard
      ? completeRuleDashes(
          clean,
          adoptColumnRules(
            extendToDashedRowBorder(
              extendToDashedBorder(extendToBorder(extendAtOpenTop(ruled, segments), segments), columnPieces, segments),
              rowPieces,
              segments,
              ruledGrids
                .filter((o) => o !== ruled && o.box.x1 > ruled.box.x0 && o.box.x0 < ruled.box.x1)
                .map((o) => o.box),
            ),
            segments,
          ),
          lineDpi,
        )
      : ruled;
    if (!fax) return ruled;
    // Rows lost to the threshold come back first, so a column chain is judged on the real row bands
    // (a caption row hidden in a tall band would otherwise get a column line through it).
    const rows = inferLostRules(clean, dropDashRows(widened), lineDpi, segments, standard);
    const columns = mendDashedColumns(clean, rows, pieces, segments, streaks).grid;
    return mendDashedColumnEdges(cleanT!, mendDashedEdges(clean, columns, lineDpi), lineDpi);
  });
  for (const found of fax ? distinctGrids(repaired) : repaired) {
    const grid = { box: toPage(found.box), rowAnchors: found.rowAnchors, colAnchors: found.colAnchors };
    if (grid.box.x1 - grid.box.x0 < minSize || grid.box.y1 - grid.box.y0 < minSize) continue;
    const frames = buildCells(found).map((f) => ({ ...f, box: toPage(f.box) }));
    const crops = frames.map((f) => cropInside(binary, f.box));
    // A grid with nothing written in it is a frame or decoration; a single boxed cell with text stays
    // (a row cut off by a page break, stitched later), as in the vector reader.
    if (!crops.some((c) => inkShare(binary, c) >= MIN_TEXT_INK)) continue;
    const tableIndex = tables.length;
    const cells: Cell[] = frames.map((f, i) => {
      const crop = crops[i]!;
      cellCrops.set(cellKey(tableIndex, f.row, f.col), crop);
      const vertical = isVerticalText(binary, crop);
      return toCell(f, pageNumber, isShaded(raster, binary, crop), vertical);
    });
    tables.push({
      id: `p${pageNumber}-t${firstIndex + tableIndex}`,
      pages: [pageNumber],
      rows: grid.rowAnchors.length - 1,
      cols: grid.colAnchors.length - 1,
      cells,
      detection: 'raster',
      confidence: RASTER_CONFIDENCE,
      box: grid.box,
    });
  }
  return { tables, cellCrops, segments: linesToSegments(lines, binary.dpi) };
}

/** A grid lying this much (share of its area) inside a larger one is a piece of the same table. */
const SAME_TABLE_SHARE = 0.6;

/**
 * The grids less those that widened into the same table as a larger one (the pieces of a 表四 whose
 * row rules a standard-mode fax lost each grew to the table's full width at its open top).
 */
function distinctGrids(grids: readonly Grid[]): Grid[] {
  const area = (b: Box): number => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
  const size = (g: Grid): number => (g.rowAnchors.length - 1) * (g.colAnchors.length - 1);
  return grids.filter((g, i) =>
    grids.every((o, j) => {
      if (j === i || size(o) < size(g) || (size(o) === size(g) && j > i)) return true;
      const inter = {
        x0: Math.max(g.box.x0, o.box.x0),
        y0: Math.max(g.box.y0, o.box.y0),
        x1: Math.min(g.box.x1, o.box.x1),
        y1: Math.min(g.box.y1, o.box.y1),
      };
      return area(inter) < SAME_TABLE_SHARE * area(g.box);
    }),
  );
}

function toCell(f: CellFrame, page: number, shaded: boolean, vertical: boolean): Cell {
  return {
    row: f.row,
    col: f.col,
    rowSpan: f.rowSpan,
    colSpan: f.colSpan,
    page,
    box: f.box,
    text: '',
    origin: 'ocr',
    confidence: 0,
    shaded,
    vertical,
  };
}
