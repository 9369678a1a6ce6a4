import type { GrayRaster } from '../../core/ocr/gray-raster.js';

/** Ink filler of a drawn cell: a dark box [x0, x1) × [y0, y1) in raster pixels. */
export type Fill = (x0: number, y0: number, x1: number, y1: number) => void;

/**
 * A table cell drawn at 300 dpi: 220 × 90 px of paper ruled on four sides (3-px rules); `draw` puts
 * the ink in (digits are ≈ 40 px tall).
 */
export function ruledCell(draw: (fill: Fill) => void): {
  raster: GrayRaster;
  frame: { x0: number; y0: number; x1: number; y1: number };
} {
  const width = 220;
  const height = 90;
  const data = new Uint8Array(width * height).fill(240);
  const fill: Fill = (x0, y0, x1, y1) => {
    for (let y = y0; y < y1; y++) data.fill(15, y * width + x0, y * width + x1);
  };
  fill(0, 0, width, 3);
  fill(0, height - 3, width, height);
  fill(0, 0, 3, height);
  fill(width - 3, 0, width, height);
  draw(fill);
  return { raster: { width, height, data }, frame: { x0: 0, y0: 0, x1: width, y1: height } };
}
