/**
 * What the shapes of a number cell's glyphs say, whatever the recogniser read: how many digits were
 * printed, whether a lone glyph is a 0's ring, whether thin straight strokes are 1s.
 */
import type { GlyphBox, InkReport } from './find-ink.js';
import { isRing, mendOvals } from './mend-ovals.js';

/** An upright glyph narrower than this share of its height is a 1 (every other digit is ≈ 0.5–0.65 wide, a serif 1 ≈ 0.3). */
const ONE_ASPECT = 0.42;
/** A 1's stem runs straight down this share of its height (an arc of a 0 does not). */
const STEM = 0.85;
/** Centres of neighbouring 1s are at least this share of the glyph height apart (a digit's advance is ≈ 0.7 of its height). */
const ONES_APART = 0.55;
/** A glyph read by its shape keeps this share of the cell height clear above and below it. */
const CLEAR = 0.08;

/** Digits the ink of a one-row number printed: its glyphs, two close thin flanks counted as one 0. */
export function printedDigits(ink: InkReport): number {
  return glyphsToAccount(ink) - flankPairs(ink.glyphs.filter(isSolid));
}

/** Solid upright glyphs, a lone thin curved stroke (a 1 a dropout broke) and each pair of them side by side (a 0). */
export function glyphsToAccount(ink: InkReport): number {
  const all = ink.glyphs;
  const curved = (i: number): boolean => i >= 0 && i < all.length && !isSolid(all[i]!);
  const lone = all.filter((_, i) => curved(i) && !curved(i - 1) && !curved(i + 1)).length;
  const pairs = Math.floor((all.filter((_, i) => curved(i)).length - lone) / 2);
  return all.filter(isSolid).length + lone + pairs;
}

/** Thin straight strokes closer than two 1s stand: the two flanks of one 0 whose hairline arcs a fax lost. */
function flankPairs(solid: readonly GlyphBox[]): number {
  const thin = (g: GlyphBox): boolean => g.width < g.height * ONE_ASPECT;
  let n = 0;
  for (let i = 1; i < solid.length; i++) {
    const [a, b] = [solid[i - 1]!, solid[i]!];
    const apart = b.x0 + b.width / 2 - (a.x0 + a.width / 2);
    if (thin(a) && thin(b) && apart < Math.max(a.height, b.height) * ONES_APART) {
      n++;
      i++;
    }
  }
  return n;
}

/** Thin strokes that are not straight (the two arcs of a 0 whose hairlines a fax dropped) are no glyphs of their own. */
export function isSolid(g: GlyphBox): boolean {
  return g.stem >= STEM || g.width >= g.height * ONE_ASPECT;
}

/**
 * Both recognisers miss a lone 1 at times. Its shape says it: straight thin strokes, clear of the
 * cell's top and bottom (a streak or a rule runs through), a digit's advance apart (the straight
 * flanks of a 0 stand closer), and nothing else in the ink. The 1s, or null.
 */
export function onesByShape(ink: InkReport): string | null {
  const all = ink.glyphs;
  const cropHeight = ink.crop.y1 - ink.crop.y0;
  const isOne = (g: GlyphBox): boolean =>
    g.stem >= STEM &&
    g.width < g.height * ONE_ASPECT &&
    g.y0 >= cropHeight * CLEAR &&
    g.y0 + g.height <= cropHeight * (1 - CLEAR);
  const apart = all.every(
    (g, i) => i === 0 || g.x0 + g.width / 2 - (all[i - 1]!.x0 + all[i - 1]!.width / 2) >= g.height * ONES_APART,
  );
  return all.length > 0 && all.every(isOne) && apart ? '1'.repeat(all.length) : null;
}

/** A lone glyph whose ink (its broken ovals closed) is a ring: a 0 by its shape. */
export function isZeroByShape(ink: InkReport): boolean {
  const { crop, mask } = ink;
  return isRing(mendOvals(ink) ?? mask, crop.x1 - crop.x0, crop.y1 - crop.y0);
}

/** Digits (and plus signs) a reading claims: each is one upright glyph in the ink unless it touches a neighbour. */
export function uprightCount(text: string): number {
  return (text.match(/[0-9+]/g) ?? []).length;
}

/** A stroke beside the glyphs at least this share of the tallest glyph tall is part of a digit (a 0's broken flank), no speck. */
const STROKE_BESIDE = 0.5;

/**
 * Kept ink beside a number's upright glyphs, too short to count as one of them but as tall as half a
 * digit: the broken flank of a 0 whose other flank stands whole (淮安市's fine fax: a 0 read 1 at
 * 0.97). A 1 has nothing beside its stem but its foot and flag, which join it.
 */
export function strokeBeside(ink: InkReport): boolean {
  const { crop, mask, glyphs } = ink;
  const w = crop.x1 - crop.x0;
  const h = crop.y1 - crop.y0;
  const tallest = Math.max(0, ...glyphs.map((g) => g.height));
  const inGlyph = (x: number): boolean => glyphs.some((g) => x >= g.x0 && x < g.x0 + g.width);
  let top = Infinity;
  let bottom = -Infinity;
  for (let x = 0; x <= w; x++) {
    const free = x < w && !inGlyph(x);
    let any = false;
    if (free)
      for (let y = 0; y < h; y++)
        if (mask[y * w + x]) {
          any = true;
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
    if (!any) {
      if (bottom - top + 1 >= STROKE_BESIDE * tallest && tallest > 0) return true;
      top = Infinity;
      bottom = -Infinity;
    }
  }
  return false;
}
