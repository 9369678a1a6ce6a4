/**
 * How several readings of one cell become one: their scores, agreement and disagreement, and the
 * tie-breaking third reading with a wide quiet zone (read-cell.ts asks; this settles).
 */
import { cleanCrop } from './clean-crop.js';
import { scaleRaster } from './crop-raster.js';
import type { InkReport } from './find-ink.js';
import type { GrayRaster } from './gray-raster.js';
import { NUMBER } from './number-text.js';
import type { LineKind, LineReading, OcrEngine } from './ocr-engine.js';

/** Two independent crops agreeing leave this share of the remaining doubt (they share the engine, so not 0). */
export const AGREEMENT_DOUBT = 0.35;
/** Two crops disagreeing: the chosen reading keeps this share of its confidence. */
export const DISAGREEMENT_FACTOR = 0.5;
/**
 * The tie-breaking reading's quiet zone (share of the ink height). On a 150-dpi scan rendered at
 * 300 dpi the digits are soft, and with the first reading's narrow margin the recogniser dropped
 * a leading digit (34 read as 4, 447 as 47 on 淮安市 2024's Times digits); a margin as wide as
 * the glyphs are tall read them whole.
 */
const PAD_WIDE = 1;
/** Two of three readings agreeing after a disagreement keep at most this: flagged unless passing sums vouch. */
export const TIE_BREAK_CAP = 0.85;
/** Glyphs shorter than this (pixels) are upscaled for the second reading; LSTM digits like ≈ 30–50 px x-height. */
export const SMALL_GLYPH_PX = 40;

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

/** Confidence of one reading: a number is as sure as its weakest digit; a label as its mean. */
export function readingScore(r: LineReading, kind: LineKind): number {
  if (r.text === '') return 0;
  return kind === 'digits' ? (NUMBER.test(r.text) ? r.weakest : r.weakest * 0.5) : r.confidence;
}

/** Two readings of one cell as one: agreement lowers the doubt, disagreement halves the better one's confidence. */
export function combineReadings(
  a: LineReading,
  b: LineReading,
  kind: LineKind,
): { text: string; confidence: number; alternatives: string[] } {
  const sa = readingScore(a, kind);
  const sb = readingScore(b, kind);
  if (a.text === b.text) {
    const doubt = (1 - Math.max(sa, sb)) * AGREEMENT_DOUBT;
    return { text: a.text, confidence: clamp01(1 - doubt - (a.text === '' ? 1 : 0)), alternatives: [] };
  }
  const [best, other, s] = sb > sa ? [b, a, sb] : [a, b, sa];
  return {
    text: best.text,
    confidence: clamp01(s * DISAGREEMENT_FACTOR),
    alternatives: other.text === '' ? [] : [other.text],
  };
}

/**
 * The tie-breaking reading of a one-row number: the gray crop with a wide quiet zone, upscaled like
 * the others when the glyphs are small.
 */
export async function readWide(
  raster: GrayRaster,
  ink: InkReport,
  inkHeight: number,
  dpi: number,
  engine: OcrEngine,
): Promise<LineReading> {
  const crop = cleanCrop(raster, ink, { pad: inkHeight * PAD_WIDE, gray: true });
  if (!crop) return { text: '', confidence: 0, weakest: 0 };
  const up = inkHeight < SMALL_GLYPH_PX ? SMALL_GLYPH_PX / inkHeight : 1;
  return engine.readLine(up > 1 ? scaleRaster(crop, up) : crop, 'digits', dpi * up, 1);
}

/**
 * Readings of a one-row number that disagree (the gray crop read 4, the binarised one or the label
 * setup 34) are settled by a third, readWide: the number it agrees with is taken, as a doubtful one
 * (only a passing sum vouches for it). Null when it agrees with none; its text is kept as evidence.
 * A blank against a number is left to the shape rules: no third call for every faint 0.
 */
export async function settle(
  texts: readonly string[],
  raster: GrayRaster,
  ink: InkReport,
  inkHeight: number,
  dpi: number,
  engine: OcrEngine,
): Promise<{ agreed: { text: string; confidence: number } | null; wide: string }> {
  const w = await readWide(raster, ink, inkHeight, dpi, engine);
  const agreed = NUMBER.test(w.text) && texts.includes(w.text);
  return {
    agreed: agreed ? { text: w.text, confidence: Math.min(readingScore(w, 'digits'), TIE_BREAK_CAP) } : null,
    wide: w.text,
  };
}

/** Two disagreeing number readings of the plain path, settled by readWide, else combined as before. */
export async function breakTie(
  a: LineReading,
  b: LineReading,
  raster: GrayRaster,
  ink: InkReport,
  inkHeight: number,
  dpi: number,
  engine: OcrEngine,
): Promise<{ text: string; confidence: number; alternatives: string[] }> {
  const before = combineReadings(a, b, 'digits');
  const { agreed, wide } = await settle([a.text, b.text], raster, ink, inkHeight, dpi, engine);
  const others = (text: string): string[] => [...new Set([a.text, b.text, wide])].filter((t) => t !== '' && t !== text);
  return agreed ? { ...agreed, alternatives: others(agreed.text) } : { ...before, alternatives: others(before.text) };
}
