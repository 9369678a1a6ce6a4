import { binarizeSauvola } from './binarize-sauvola.js';
import { deskewRaster } from './deskew-raster.js';
import { contrastLut } from './normalize-contrast.js';
import { rotateRightAngle, type BinaryRaster, type Raster } from './raster.js';

/**
 * A decoded page that may also carry its darkest colour channel (per pixel min(R, G, B)) for
 * finding ruling lines. The gray `data` is the red channel, where red stamps fade so digits under
 * them stay readable, but red, brown or blue pre-printed rules fade with them (the red channel of
 * a red rule is as bright as the paper). In the darkest channel every coloured rule stays dark.
 */
export interface ColourRaster extends Raster {
  /** min(R, G, B) per pixel, same geometry as `data`; absent for gray images and colour images without colour. */
  readonly darkest?: Uint8Array;
}

/** Pixels sampled when deciding whether a colour image has colour at all. */
const SAMPLE_STEP = 7;
/** A pixel whose channels differ by at least this much is coloured (JPEG chroma noise on gray stays below ≈ 10; faded brown rules in a photo reach 20–30)… */
const CHROMA_MIN = 20;
/** …and an image needs this share of coloured pixels before the second channel is worth its pass. */
const COLOURED_SHARE = 0.002;

/**
 * The darkest channel of interleaved pixels (3 or 4 channels), or null when the image is gray or
 * nearly so (a gray scan saved as RGB): then the red channel already shows every rule.
 */
export function darkestChannel(data: Uint8Array, width: number, height: number, channels: number): Uint8Array | null {
  if (channels < 3) return null;
  const n = width * height;
  let coloured = 0;
  let sampled = 0;
  for (let i = 0; i < n; i += SAMPLE_STEP, sampled++) {
    const j = i * channels;
    const r = data[j]!;
    const g = data[j + 1]!;
    const b = data[j + 2]!;
    if (Math.max(r, g, b) - Math.min(r, g, b) >= CHROMA_MIN) coloured++;
  }
  if (coloured < COLOURED_SHARE * sampled) return null;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const r = data[j]!;
    const g = data[j + 1]!;
    const b = data[j + 2]!;
    out[i] = r < g ? (r < b ? r : b) : g < b ? g : b;
  }
  return out;
}

/**
 * The darkest channel put through the same geometry as the prepared page (quarter turns, then the
 * deskew about the centre) with its own contrast stretch, binarised: the ink for finding coloured
 * rules. Only line finding reads it; cells are still read from the red-channel page.
 */
export function prepareLineChannel(
  src: ColourRaster,
  rotation: 0 | 90 | 180 | 270,
  skewDeg: number,
): BinaryRaster | undefined {
  if (!src.darkest) return undefined;
  const dark: Raster = { width: src.width, height: src.height, data: src.darkest, dpi: src.dpi };
  const lut = contrastLut(dark);
  const turned = rotateRightAngle(dark, rotation);
  return binarizeSauvola(deskewRaster(turned, skewDeg, lut));
}
