import type { GrayImage } from './decode-bilevel-image.js';
import { inkComponents } from './ink-components.js';

/** Ink of a 1-bit image decoded to gray is 0; paper 255. */
const INK_BELOW = 128;
/**
 * Ink specks this small (pixels of the fax grid, both sides) are line noise: single dots and 2×2
 * clumps a fax's scanner or line adds. Every glyph part worth keeping is larger — a full stop at
 * 10 pt is ≥ 3 × 2 pels even in standard mode — and a minus sign is wider than two pels. Later
 * stages see the page interpolated (square pixels, deskew), where a clump grows into a grey blob as
 * large as a point and was read as one beside a digit (0 as "0.", 38 as "38.").
 */
const SPECK_SIDE = 2;

/**
 * The 1-bit page with its specks painted paper. Nothing else can touch a speck: any ink pixel
 * inside its ≤ 2 × 2 box is 8-connected to it, so painting the box erases that component only.
 */
export function despeckleBilevel(img: GrayImage): GrayImage {
  const { width: w, height: h } = img;
  const specks = inkComponents(w, h, (i) => img.data[i]! < INK_BELOW).filter(
    (c) => c.x1 - c.x0 <= SPECK_SIDE && c.y1 - c.y0 <= SPECK_SIDE,
  );
  if (specks.length === 0) return img;
  const data = new Uint8Array(img.data);
  for (const c of specks) for (let y = c.y0; y < c.y1; y++) data.fill(255, y * w + c.x0, y * w + c.x1);
  return { width: w, height: h, data };
}
