import type { UprightScorer } from '../raster/prepare-scan.js';
import type { Raster } from '../raster/raster.js';
import { cropRaster } from './crop-raster.js';
import type { OcrEngine } from './ocr-engine.js';

/** The strip read: this tall (inches, about two lines of 10.5-pt text), full width so table labels are in it. */
const STRIP_INCHES = 0.3;
/** Han words are what tell up from down: digits such as 0, 1 and 8 read the same either way. */
const HAN = /\p{Script=Han}/u;
/**
 * The turned candidate must out-read the page as scanned by this much (mean Han-word confidence):
 * scans are upright far more often than not, and a dense digit table gives both candidates few Han words.
 */
const FLIP_MARGIN = 0.15;
/** Pixels darker than this count as ink when looking for the densest band. */
const INK_LEVEL = 128;

/** Top of the band of the page with the most ink in its central columns: text or a table, never margin. */
function densestBand(page: Raster, height: number, x0: number, x1: number): number {
  const rows = new Float64Array(page.height);
  for (let y = 0; y < page.height; y += 2) {
    let ink = 0;
    for (let i = y * page.width + x0, end = y * page.width + x1; i < end; i += 2) if ((page.data[i] ?? 255) < INK_LEVEL) ink++;
    rows[y] = ink;
  }
  let best = 0;
  let bestTop = 0;
  let sum = 0;
  for (let y = 0; y < page.height; y++) {
    sum += rows[y] ?? 0;
    if (y >= height) sum -= rows[y - height] ?? 0;
    if (y >= height - 1 && sum > best) {
      best = sum;
      bestTop = y - height + 1;
    }
  }
  return bestTop;
}

/**
 * prepareScan's 0-vs-180 judge for one page (make one per page): read the densest full-width strip of each candidate with the Chinese
 * setup and score it by the mean confidence of its Han words. Upside-down CJK reads as low-confidence
 * garbage, upright labels and prose read well; the higher score wins (two strip reads per page).
 */
export function scoreUpright(engine: OcrEngine): UprightScorer {
  // prepareScan scores the candidate needing the smaller turn (0, or 90 for sideways pages) first: it gets the prior.
  let calls = 0;
  return async (candidate: Raster): Promise<number> => {
    const prior = calls++ === 0 ? FLIP_MARGIN : 0;
    const height = Math.min(candidate.height, Math.round(STRIP_INCHES * candidate.dpi));
    const top = densestBand(candidate, height, 0, candidate.width);
    const strip = cropRaster(candidate, { x0: 0, y0: top, x1: candidate.width, y1: top + height });
    const han = (await engine.readWords(strip, 'label', candidate.dpi)).filter((w) => HAN.test(w.text));
    return prior + (han.length === 0 ? 0 : han.reduce((s, w) => s + w.confidence, 0) / han.length);
  };
}
