import type { Raster } from './raster.js';

/** Share of darkest pixels taken as full black (ink is a small share of a page; 0.5 % stays clear of noise). */
const INK_PERCENTILE = 0.005;
/** Share of pixels at or below the paper level: most of a document page is paper. */
const PAPER_PERCENTILE = 0.7;
/** Refuse to stretch when paper and ink are closer than this: a blank or near-uniform page. */
const MIN_DYNAMIC_RANGE = 32;

/**
 * Stretches gray levels so the paper becomes white (255) and the darkest ink black (0), through a
 * 256-entry lookup table: grey fax backgrounds and faded scans get the contrast Sauvola expects.
 */
export function normalizeContrast(src: Raster): Raster {
  const { data } = src;
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) hist[data[i]!]!++;
  const black = percentile(hist, data.length, INK_PERCENTILE);
  const white = percentile(hist, data.length, PAPER_PERCENTILE);
  if (white - black < MIN_DYNAMIC_RANGE) return src;
  const lut = new Uint8Array(256);
  const scale = 255 / (white - black);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round((v - black) * scale)));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i]!]!;
  return { width: src.width, height: src.height, data: out, dpi: src.dpi };
}

function percentile(hist: Uint32Array, total: number, share: number): number {
  const target = total * share;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= target) return v;
  }
  return 255;
}
