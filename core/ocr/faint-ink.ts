import type { GrayRaster, PixelBox } from './gray-raster.js';

/** Marks this many gray levels darker than the crop's paper are ink too faint for findInk's contrast test. */
const FAINT_DELTA = 40;
/** …and this many such pixels (at 300 dpi) are more than grain: a small digit's strokes cover ≈ 150. */
const FAINT_AREA_300 = 40;
/** The outer share of each side is left out: rules and their grey fringe sit there. */
const MARGIN = 0.12;

/**
 * True when a crop that findInk called blank still holds marks darker than its paper: a printed value
 * in shade or under uneven light (a phone photo) that the contrast test dropped. Such a blank is not
 * certain. A 1-bit fax page never trips it: its specks are full black, which findInk already judged.
 */
export function faintInk(raster: GrayRaster, frame: PixelBox, dpi: number): boolean {
  const mx = Math.ceil((frame.x1 - frame.x0) * MARGIN);
  const my = Math.ceil((frame.y1 - frame.y0) * MARGIN);
  const x0 = Math.max(0, frame.x0 + mx);
  const x1 = Math.min(raster.width, frame.x1 - mx);
  const y0 = Math.max(0, frame.y0 + my);
  const y1 = Math.min(raster.height, frame.y1 - my);
  if (x1 <= x0 || y1 <= y0) return false;
  const hist = new Uint32Array(256);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) hist[raster.data[y * raster.width + x]!]!++;
  const total = (x1 - x0) * (y1 - y0);
  let seen = 0;
  let paper = 255;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen * 2 >= total) {
      paper = v;
      break;
    }
  }
  // Full-black pixels are specks findInk already weighed (and dropped); faint ink lies between.
  let faint = 0;
  for (let v = 1; v < paper - FAINT_DELTA; v++) faint += hist[v]!;
  return faint >= FAINT_AREA_300 * (dpi / 300) ** 2;
}
