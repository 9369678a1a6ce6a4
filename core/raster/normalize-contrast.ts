import type { Raster } from './raster.js';

/** Share of darkest pixels taken as full black (ink is a small share of a page; 0.5 % stays clear of noise). */
const INK_PERCENTILE = 0.005;
/** Share of pixels at or below the paper level: most of a document page is paper. */
const PAPER_PERCENTILE = 0.7;
/** Refuse to stretch when paper and ink are closer than this: a blank or near-uniform page. */
const MIN_DYNAMIC_RANGE = 32;

/** Histogram pixels sampled: every 4th pixel of a 300-dpi page is ≈ 2 M samples, plenty for percentiles. */
const SAMPLE_STEP = 4;

/**
 * The contrast stretch of a page as a 256-entry lookup table: paper (the 70th percentile) becomes
 * white, the darkest ink black — grey fax backgrounds and faded scans get the contrast Sauvola
 * expects. Null when the page is too uniform to stretch. Apply it with `applyLut` (or fused into
 * another pass over the pixels, as deskewRaster does).
 */
export function contrastLut(src: Raster): Uint8Array | null {
  const { data } = src;
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i += SAMPLE_STEP) hist[data[i]!]!++;
  const samples = Math.ceil(data.length / SAMPLE_STEP);
  const black = percentile(hist, samples, INK_PERCENTILE);
  const white = percentile(hist, samples, PAPER_PERCENTILE);
  if (white - black < MIN_DYNAMIC_RANGE) return null;
  const lut = new Uint8Array(256);
  const scale = 255 / (white - black);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round((v - black) * scale)));
  return lut;
}

export function applyLut(src: Raster, lut: Uint8Array | null): Raster {
  if (lut === null) return src;
  const { data } = src;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i]!]!;
  return { width: src.width, height: src.height, data: out, dpi: src.dpi };
}

/** Stretches gray levels so the paper becomes white and the darkest ink black (see contrastLut). */
export function normalizeContrast(src: Raster): Raster {
  return applyLut(src, contrastLut(src));
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
