import type { Segment } from '../model/index.js';
import { transpose, type BinaryRaster } from '../raster/raster.js';
import { buildCells } from '../tables/build-cells.js';
import { findGrids } from '../tables/find-grids.js';
import type { Grid, CellFrame } from '../tables/grid.js';

/** Shortest ink run (points) that counts as a rule: narrower than the slimmest table column (≈ 20 pt), longer than any glyph stroke. */
const MIN_RULE_PT = 16;
/** Gaps (points) bridged inside a rule: scanned and faxed rules break up. */
const RULE_GAP_PT = 0.8;
/** Thicker "runs" (points) are filled areas (stamps, shaded blocks), not rules. */
const MAX_RULE_THICKNESS_PT = 3;

export interface RasterGrid {
  readonly grid: Grid;
  /** Cell frames in points (page units); multiply by dpi/72 for pixels. */
  readonly cells: readonly CellFrame[];
}

/** Runs of ink along each row of `data` (w × h), as points-unit segments of `axis`. */
function runs(data: Uint8Array, w: number, h: number, axis: 'h' | 'v', dpi: number): Segment[] {
  const k = 72 / dpi;
  const minLen = MIN_RULE_PT / k;
  const gap = Math.max(1, Math.round(RULE_GAP_PT / k));
  const out: Segment[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let start = -1;
    let last = -gap - 2;
    for (let x = 0; x <= w; x++) {
      const ink = x < w && data[row + x] === 1;
      if (ink) {
        if (x - last - 1 > gap) start = x;
        last = x;
        continue;
      }
      if (start >= 0 && x - last - 1 >= gap) {
        if (last - start + 1 >= minLen) out.push({ axis, at: (y + 0.5) * k, from: start * k, to: (last + 1) * k });
        start = -1;
      }
    }
  }
  return out;
}

/** Collapse the 2–4 pixel rows of one thick rule into one segment; drop filled areas. */
function thin(segments: Segment[], dpi: number): Segment[] {
  const k = 72 / dpi;
  const sorted = [...segments].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Segment[] = [];
  const used = new Uint8Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const s = sorted[i]!;
    const at0 = s.at;
    let at1 = s.at;
    let from = s.from;
    let to = s.to;
    for (let j = i + 1; j < sorted.length && sorted[j]!.at - at1 <= k * 1.5; j++) {
      const t = sorted[j]!;
      if (used[j] || t.to < from || t.from > to) continue;
      used[j] = 1;
      at1 = t.at;
      from = Math.min(from, t.from);
      to = Math.max(to, t.to);
    }
    if (at1 - at0 <= MAX_RULE_THICKNESS_PT) out.push({ axis: s.axis, at: (at0 + at1) / 2, from, to });
  }
  return out;
}

/**
 * Table grids of an upright, deskewed scan from its ruling lines: long ink runs along rows and
 * columns of the binarised page become segments in points, and the vector lattice finder
 * (core/tables) rebuilds grids and cells with spans from them.
 */
export function findRasterGrids(binary: BinaryRaster): RasterGrid[] {
  const { width: w, height: h, data, dpi } = binary;
  const hSegs = thin(runs(data, w, h, 'h', dpi), dpi);
  const vSegs = thin(runs(transpose(data, w, h), h, w, 'v', dpi), dpi);
  return findGrids([...hSegs, ...vSegs]).map((grid) => ({ grid, cells: buildCells(grid) }));
}
