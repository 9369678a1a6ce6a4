import type { Rotation } from '../model/index.js';
import { binarizeSauvola } from '../raster/binarize-sauvola.js';
import { deskewRaster, shrinkRaster } from '../raster/deskew-raster.js';
import { collectInk, estimateSkew } from '../raster/estimate-skew.js';
import { normalizeContrast } from '../raster/normalize-contrast.js';
import { prepareScan, type PreparedScan } from '../raster/prepare-scan.js';
import type { Raster } from '../raster/raster.js';
import { cropRaster } from './crop-raster.js';
import type { OcrEngine } from './ocr-engine.js';

/** Analysis resolution for the skew estimate, as in prepareScan. */
const ANALYSIS_DPI = 100;
/** The strip read to compare orientations: this share of the page height, centred. */
const STRIP_SHARE = 0.12;
/** The turned page must read this much better (mean confidence) to win over the page as scanned. */
const TURN_MARGIN = 0.05;

/** The page as scanned (no quarter turn), normalised, deskewed and binarised like prepareScan does. */
async function keepUpright(src: Raster): Promise<PreparedScan> {
  const normalized = normalizeContrast(src);
  const factor = Math.max(1, Math.floor(src.dpi / ANALYSIS_DPI));
  const small = binarizeSauvola(await shrinkRaster(normalized, factor));
  const skewDeg = estimateSkew(collectInk(small), 'h', 'all').skewDeg;
  const raster = skewDeg !== 0 ? deskewRaster(normalized, skewDeg) : normalized;
  return { raster, binary: binarizeSauvola(raster), rotation: 0 as Rotation, skewDeg, orientationEvidence: 1 };
}

async function readability(p: PreparedScan, engine: OcrEngine): Promise<number> {
  const h = Math.round(p.raster.height * STRIP_SHARE);
  const y0 = Math.round((p.raster.height - h) / 2);
  const strip = cropRaster(p.raster, { x0: 0, y0, x1: p.raster.width, y1: y0 + h });
  const r = await engine.readLine(strip, 'label', p.raster.dpi, 2);
  return r.text === '' ? 0 : r.confidence;
}

/**
 * prepareScan, with its quarter-turn decision confirmed by the recogniser: dense tables of square
 * CJK glyphs can out-score their own text rows in the projection test and look sideways. When
 * prepareScan turns a page, a strip of each candidate is read and the more legible one is kept.
 */
export async function preparePage(src: Raster, engine: OcrEngine): Promise<PreparedScan> {
  const prepared = await prepareScan(src);
  if (prepared.rotation !== 90 && prepared.rotation !== 270) return prepared;
  const asScanned = await keepUpright(src);
  const [turned, kept] = await Promise.all([readability(prepared, engine), readability(asScanned, engine)]);
  return turned > kept + TURN_MARGIN ? prepared : asScanned;
}
