import { forEachInkRun } from '../raster/ink-runs.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';

/**
 * Ink that runs on past the crop's edge further than any rule is thick (pixels at 300 dpi; find-ink
 * takes strokes up to 7 px for rules, and a rule's blur adds a few): a stroke of the neighbouring
 * cell crossing the rule, not a glyph of this cell touching it.
 */
const CROSS_RUN_300 = 12;
/**
 * At least this many columns (pixels at 300 dpi) of the edge ink must cross: a glyph's strokes are
 * that wide together, a fax's sensor streak (1–3 px, broken into pieces) is not.
 */
const MIN_CROSSING_300 = 6;
/** The tail is at most this share of the ink's height from the edge; the cell's own glyphs are the rest. */
const MAX_TAIL = 0.4;
/** The tail and the glyphs meet at a row no wider than this share of the widest ink row (a stroke end), or at paper. */
const NECK = 0.25;

/**
 * Clears the tail of a neighbouring cell's glyph that crosses the rule into this crop. A caption set
 * taller than its cell (WenQuanYi Micro Hei's vertical 结果维持 in 表四, as Chromium prints it) runs
 * through the rule under it, and the bottom of its last character sits on top of the value below: 持
 * over 2 was read as 也, 结 over 5 as 位, 0 as 六 or T, and 表四's value row came out unparsable. The
 * tail touches the crop's edge, continues in the page past the rule, and meets the cell's own glyphs
 * at a narrow neck or at paper; the rows from the edge to that neck are cleared. Top and bottom
 * edges both; `mask` is the crop's binarised ink (1 = ink), `crop` its place on `raster`.
 */
export function dropOverflow(
  mask: Uint8Array,
  raster: GrayRaster,
  crop: PixelBox,
  threshold: number,
  dpi: number,
): void {
  dropAt(mask, raster, crop, threshold, dpi, 'top');
  dropAt(mask, raster, crop, threshold, dpi, 'bottom');
}

function dropAt(
  mask: Uint8Array,
  raster: GrayRaster,
  crop: PixelBox,
  threshold: number,
  dpi: number,
  side: 'top' | 'bottom',
): void {
  const w = crop.x1 - crop.x0;
  const h = crop.y1 - crop.y0;
  /** The crop row `i` rows in from the edge. */
  const rowAt = (i: number): number => (side === 'top' ? i : h - 1 - i);
  // Most cells leave their edge rows clear: no tail to look for, and no profile to count.
  const edge = rowAt(0) * w;
  let touches = false;
  for (let x = 0; x < w && !touches; x++) touches = mask[edge + x] === 1;
  if (!touches) return;
  const profile = new Array<number>(h).fill(0);
  for (let i = 0; i < h; i++) {
    const at = rowAt(i) * w;
    for (let x = 0; x < w; x++) profile[i]! += mask[at + x]!;
  }
  let extent = h;
  while (extent > 0 && profile[extent - 1] === 0) extent--;
  const minRun = (CROSS_RUN_300 * dpi) / 300;
  // Look past the edge no further than a few rule widths: that is where the neighbour's stroke is.
  const room = side === 'top' ? crop.y0 : raster.height - crop.y1;
  const len = Math.min(room, Math.ceil(3 * minRun));
  const step = side === 'top' ? -raster.width : raster.width;
  const minCrossing = Math.max(2, Math.round((MIN_CROSSING_300 * dpi) / 300));
  let crossing = 0;
  for (let x = 0; x < w && crossing < minCrossing; x++) {
    if (mask[rowAt(0) * w + x] !== 1) continue;
    // A tail ends near the edge; a rule remnant or a fax streak runs on down the cell (信息内容 | on a
    // standard-mode fax: its label was cleared with it).
    let inside = 0;
    while (inside < h && mask[rowAt(inside) * w + x] === 1) inside++;
    if (inside > extent * MAX_TAIL) continue;
    const first = (side === 'top' ? crop.y0 - 1 : crop.y1) * raster.width + crop.x0 + x;
    let run = 0;
    forEachInkRun(
      raster.data,
      first,
      step,
      len,
      1,
      (from, to) => {
        if (from <= 1 && run === 0) run = to + 1;
      },
      threshold + 1,
    );
    // …and ends there, as a glyph's stroke does (a sensor streak or a rule runs on down the page).
    if (run >= minRun && run < len) crossing++;
  }
  if (crossing < minCrossing) return;
  const widest = Math.max(...profile);
  let cut = -1;
  for (let i = 1; i <= Math.floor(extent * MAX_TAIL); i++) {
    if (cut < 0 || profile[i]! < profile[cut]!) cut = i;
    if (profile[cut] === 0) break;
  }
  if (cut < 0 || profile[cut]! > widest * NECK) return;
  for (let i = 0; i <= cut; i++) mask.fill(0, rowAt(i) * w, rowAt(i) * w + w);
}
