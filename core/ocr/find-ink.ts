import { longestInkRun, longestRunBound } from '../raster/ink-runs.js';
import { clampBox } from './crop-raster.js';
import { dropOverflow } from './drop-overflow.js';
import { otsu } from './otsu.js';
import type { GrayRaster, PixelBox } from './gray-raster.js';

/** Paper and ink must differ by this many gray levels, else the crop is paper noise only (JPEG grain, fax speckle). */
const MIN_CONTRAST = 70;
/** Rule remnants are looked for only this close to the crop edge (fraction of the crop side): rules bound cells. */
const EDGE_BAND = 0.22;
/** An upright stroke this close (pixels at 300 dpi) to a side of the crop is a rule remnant (crops stop just clear of the rule). */
const EDGE_HUG_300 = 12;
/** An upright stroke taller than this share of the crop is no lone 1 set against the side. */
const GLYPH_MAX_HEIGHT = 0.5;
/** A row or column inside the edge band whose longest ink run covers this fraction of the crop is a ruling line. */
const RULE_RUN = 0.7;
/** Anywhere in the crop, a run this long is a rule (a loose crop straddling a rule); no glyph spans a cell. */
const RULE_RUN_ANYWHERE = 0.85;
/** Gaps up to this many pixels (at 300 dpi) inside a rule are bridged: scanned rules break up. */
const RULE_GAP_300 = 4;
/** Specks smaller than this many pixels at 300 dpi are noise (fax dots, JPEG ringing); a full stop is ≈ 25. */
const SPECK_AREA_300 = 12;
/** Below this total ink (pixels at 300 dpi) a crop holds no glyph worth reading. */
const MIN_INK_AREA_300 = 30;
/** Components touching the border this thin (pixels at 300 dpi) and this elongated are rule fragments. */
const RULE_THICKNESS_300 = 7;
const RULE_ELONGATION = 4;
/** Components touching the border that fill less than this share of their box are rule corners (L and T shapes). */
const RULE_CORNER_FILL = 0.12;
/** Text rows closer than this (pixels at 300 dpi) are one row; CJK line gaps in cells are ≥ 8 px at 300 dpi. */
const ROW_GAP_300 = 4;
/** A glyph group wider than this fraction of the row height is a CJK character (digits are ≈ 0.5–0.65). */
const WIDE_GLYPH = 0.8;
/** A column group of ink at least this share of the row height tall is a digit (or +); points, commas and minus signs are lower. */
const TALL_GLYPH = 0.7;
/**
 * A dot no larger than this share of the tallest glyph, lying wholly left or right of the glyphs, is a
 * speck (a fax's stray pels, a scanner's dust): no number or label of a report's table starts or ends
 * in a lone point, and one beside a digit made the recogniser read `0.`, `41.` or nothing at all.
 */
const STRAY_DOT = 0.3;
/** …and no wider than this share of its own height: a minus sign is wide and flat, and stays. */
const STRAY_DOT_ASPECT = 1.6;

/** One upright glyph of a one-row crop, pixels within the crop. */
export interface GlyphBox {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
  /** Longest straight vertical stroke (one column, gaps of a pixel or two bridged) as a share of the height: ≈ 1 for a 1, lower for arcs. */
  readonly stem: number;
}

export interface InkReport {
  /** Union of the kept ink in raster pixels; null when the crop is blank. */
  readonly box: PixelBox | null;
  readonly inkPixels: number;
  /** The gray level at and below which a pixel counts as ink. */
  readonly threshold: number;
  /**
   * Separate upright glyphs in a one-row crop (column groups of ink at least TALL_GLYPH of the row
   * tall): each printed digit is one unless it touches a neighbour, so a number read with fewer
   * digits than these (the straight or digit-wide ones) lost one.
   */
  readonly glyphs: readonly GlyphBox[];
  /** Text rows seen in the ink (labels wrap; numbers never do). */
  readonly rows: number;
  /** Those rows as [y0, y1) in crop pixels (rowBands), top to bottom. */
  readonly bands: readonly (readonly [number, number])[];
  /** Some glyph is as wide as a CJK character: the cell holds a label, not a number. */
  readonly wide: boolean;
  /** The clamped crop and its kept-ink mask (1 = ink), row-major, crop-sized. */
  readonly crop: PixelBox;
  readonly mask: Uint8Array;
}

/**
 * Clear ruling-line rows and columns that sit in the edge bands of the crop. `rowInk` and `colInk`
 * count the mask's ink per row and column (clearing only lowers them, so they stay upper bounds).
 */
function clearRules(
  mask: Uint8Array,
  w: number,
  h: number,
  bridge: number,
  rowInk: Uint32Array,
  colInk: Uint32Array,
): void {
  const bandY = Math.ceil(h * EDGE_BAND);
  const bandX = Math.ceil(w * EDGE_BAND);
  for (let y = 0; y < h; y++) {
    const need = y >= bandY && y < h - bandY ? RULE_RUN_ANYWHERE : RULE_RUN;
    if (longestRunBound(rowInk[y]!, bridge) < w * need) continue;
    if (longestInkRun(mask, y * w, 1, w, bridge) >= w * need) mask.fill(0, y * w, y * w + w);
  }
  for (let x = 0; x < w; x++) {
    const need = x >= bandX && x < w - bandX ? RULE_RUN_ANYWHERE : RULE_RUN;
    if (longestRunBound(colInk[x]!, bridge) < h * need) continue;
    if (longestInkRun(mask, x, w, h, bridge) >= h * need) for (let y = 0; y < h; y++) mask[y * w + x] = 0;
  }
}

/** One 8-connected piece of ink in a crop mask: its box (x1/y1 exclusive), area and pixel indices. */
export interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
  border: boolean;
  pixels: number[];
}

/**
 * The components of a crop mask's set pixels (1): 8-connected for ink; `four` for paper, which must
 * not leak through a diagonal gap between two ink pixels.
 */
export function components(mask: Uint8Array, w: number, h: number, four = false): Component[] {
  const seen = new Uint8Array(w * h);
  const out: Component[] = [];
  // A typed stack, grown as needed: the same last-in first-out order as an array's push and pop.
  let stack = new Int32Array(256);
  let top = 0;
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || seen[start]) continue;
    const c: Component = { x0: w, y0: h, x1: 0, y1: 0, area: 0, border: false, pixels: [] };
    seen[start] = 1;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % w;
      const y = (p - x) / w;
      c.pixels.push(p);
      c.area++;
      if (x < c.x0) c.x0 = x;
      if (y < c.y0) c.y0 = y;
      if (x + 1 > c.x1) c.x1 = x + 1;
      if (y + 1 > c.y1) c.y1 = y + 1;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) c.border = true;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w || (four && dx !== 0 && dy !== 0)) continue;
          const q = ny * w + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            if (top === stack.length) {
              const grown = new Int32Array(stack.length * 2);
              grown.set(stack);
              stack = grown;
            }
            stack[top++] = q;
          }
        }
      }
    }
    out.push(c);
  }
  return out;
}

/** A text row shorter than this share of the tallest one is a dot or an underscore, not a row. */
const MIN_ROW_SHARE = 0.4;

/**
 * The text rows of a mask within `b` (mask pixels, `w` wide): runs of inked pixel rows split by
 * ink-free gaps of at least `gap` rows, as [y0, y1); dots and underscores are no rows of their own.
 * The one row-band routine: rows counted for reading and a long label's first row cut for its prefix.
 */
export function rowBands(mask: Uint8Array, w: number, b: PixelBox, gap: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  let last = -1;
  for (let y = b.y0; y < b.y1; y++) {
    let ink = false;
    for (let x = b.x0; x < b.x1 && !ink; x++) ink = mask[y * w + x] === 1;
    if (!ink) continue;
    if (start < 0 || y - last - 1 >= gap) {
      if (start >= 0) runs.push([start, last + 1]);
      start = y;
    }
    last = y;
  }
  if (start >= 0) runs.push([start, last + 1]);
  const tallest = Math.max(0, ...runs.map(([y0, y1]) => y1 - y0));
  return runs.filter(([y0, y1]) => y1 - y0 >= tallest * MIN_ROW_SHARE);
}

/** Gaps inside a glyph's stroke bridged when its upright glyphs are counted (2 px at 300 dpi). */
export function strokeBridge(dpi: number): number {
  return Math.max(1, Math.round(2 * (dpi / 300)));
}

/** Column groups of ink at least TALL_GLYPH of the row tall, each with its straightest stroke. */
export function tallGlyphs(mask: Uint8Array, w: number, b: PixelBox, rowHeight: number, bridge: number): GlyphBox[] {
  const glyphs: GlyphBox[] = [];
  let left = -1;
  let top = -1;
  let bottom = -1;
  const close = (x: number): void => {
    const height = bottom - top + 1;
    if (left >= 0 && height >= rowHeight * TALL_GLYPH) {
      let stem = 0;
      for (let c = left; c < x; c++) stem = Math.max(stem, longestInkRun(mask, top * w + c, w, height, bridge));
      glyphs.push({ x0: left, y0: top, width: x - left, height, stem: stem / height });
    }
    left = -1;
    top = -1;
    bottom = -1;
  };
  for (let x = b.x0; x < b.x1; x++) {
    let y0 = -1;
    let y1 = -1;
    for (let y = b.y0; y < b.y1; y++) {
      if (mask[y * w + x] !== 1) continue;
      if (y0 < 0) y0 = y;
      y1 = y;
    }
    if (y0 < 0) {
      close(x);
      continue;
    }
    if (left < 0) left = x;
    top = top < 0 ? y0 : Math.min(top, y0);
    bottom = Math.max(bottom, y1);
  }
  close(b.x1);
  return glyphs;
}

export function hasWideGlyph(mask: Uint8Array, w: number, b: PixelBox, rowHeight: number): boolean {
  let width = 0;
  for (let x = b.x0; x < b.x1; x++) {
    let ink = false;
    for (let y = b.y0; y < b.y1 && !ink; y++) ink = mask[y * w + x] === 1;
    width = ink ? width + 1 : 0;
    if (width > rowHeight * WIDE_GLYPH) return true;
  }
  return false;
}

/** What is left of a component once some of its pixels were cleared from the mask. */
function remaining(c: Component, mask: Uint8Array, w: number): Component {
  const pixels = c.pixels.filter((p) => mask[p] === 1);
  if (pixels.length === c.pixels.length) return c;
  const out: Component = { x0: w, y0: Infinity, x1: 0, y1: 0, area: pixels.length, border: c.border, pixels };
  for (const p of pixels) {
    const x = p % w;
    const y = (p - x) / w;
    out.x0 = Math.min(out.x0, x);
    out.y0 = Math.min(out.y0, y);
    out.x1 = Math.max(out.x1, x + 1);
    out.y1 = Math.max(out.y1, y + 1);
  }
  return out;
}

/** Dots lying wholly left or right of the glyphs of the crop (STRAY_DOT): specks, not part of the text. */
function strayDots(kept: readonly Component[]): Set<Component> {
  const tallest = Math.max(0, ...kept.map((c) => c.y1 - c.y0));
  const dot = (c: Component): boolean =>
    Math.max(c.x1 - c.x0, c.y1 - c.y0) <= tallest * STRAY_DOT && c.x1 - c.x0 <= STRAY_DOT_ASPECT * (c.y1 - c.y0);
  const body = kept.filter((c) => !dot(c));
  if (body.length === 0) return new Set();
  const left = Math.min(...body.map((c) => c.x0));
  const right = Math.max(...body.map((c) => c.x1));
  return new Set(kept.filter((c) => dot(c) && (c.x1 <= left || c.x0 >= right)));
}

/**
 * Find the ink of one cell: binarise the crop (Otsu, with a contrast floor so paper noise stays blank),
 * drop ruling-line remnants and specks, and report where the glyphs are and what shape they have.
 */
export function findInk(raster: GrayRaster, box: PixelBox, dpi: number): InkReport {
  const crop = clampBox(raster, box);
  const w = crop.x1 - crop.x0;
  const h = crop.y1 - crop.y0;
  const mask = new Uint8Array(w * h);
  const blank: InkReport = {
    box: null,
    inkPixels: 0,
    threshold: 0,
    rows: 0,
    bands: [],
    glyphs: [],
    wide: false,
    crop,
    mask,
  };
  if (w < 2 || h < 2) return blank;
  const hist = new Uint32Array(256);
  for (let y = crop.y0; y < crop.y1; y++) {
    for (let x = crop.x0; x < crop.x1; x++) hist[raster.data[y * raster.width + x] ?? 255]!++;
  }
  const threshold = otsu(hist, w * h);
  let inkSum = 0;
  let inkN = 0;
  let paperSum = 0;
  let paperN = 0;
  for (let g = 0; g < 256; g++) {
    const n = hist[g] ?? 0;
    if (g <= threshold) {
      inkSum += g * n;
      inkN += n;
    } else {
      paperSum += g * n;
      paperN += n;
    }
  }
  if (inkN === 0 || paperN === 0 || paperSum / paperN - inkSum / inkN < MIN_CONTRAST) return { ...blank, threshold };
  const rowInk = new Uint32Array(h);
  const colInk = new Uint32Array(w);
  for (let y = 0; y < h; y++) {
    const row = (crop.y0 + y) * raster.width + crop.x0;
    let n = 0;
    for (let x = 0; x < w; x++) {
      const bit = (raster.data[row + x] ?? 255) <= threshold ? 1 : 0;
      mask[y * w + x] = bit;
      colInk[x]! += bit;
      n += bit;
    }
    rowInk[y] = n;
  }
  const scale = dpi / 300;
  clearRules(mask, w, h, Math.max(1, Math.round(RULE_GAP_300 * scale)), rowInk, colInk);
  const speck = SPECK_AREA_300 * scale * scale;
  const thin = RULE_THICKNESS_300 * scale;
  const hug = EDGE_HUG_300 * scale;
  let x0 = w;
  let y0 = h;
  let x1 = 0;
  let y1 = 0;
  let inkPixels = 0;
  /** Upright strokes cleared from a side band that look like a glyph: a lone left- or right-aligned 1. */
  const lone: Component[] = [];
  const keep = (c: Component): void => {
    inkPixels += c.area;
    x0 = Math.min(x0, c.x0);
    y0 = Math.min(y0, c.y0);
    x1 = Math.max(x1, c.x1);
    y1 = Math.max(y1, c.y1);
  };
  const kept: Component[] = [];
  for (const c of components(mask, w, h)) {
    const cw = c.x1 - c.x0;
    const ch = c.y1 - c.y0;
    const line = Math.min(cw, ch) <= thin && Math.max(cw, ch) >= RULE_ELONGATION * Math.min(cw, ch);
    const corner = c.area < RULE_CORNER_FILL * cw * ch && Math.max(cw, ch) > 4 * thin;
    // Rule pieces left where the crop edge cut through a slightly tilted or broken rule: thin strokes hugging an edge.
    // A horizontal piece counts only in the top/bottom bands, a vertical one only in the side bands: a minus sign stays.
    const nearEdge =
      cw >= ch
        ? c.y1 <= h * EDGE_BAND || c.y0 >= h * (1 - EDGE_BAND)
        : c.x1 <= w * EDGE_BAND || c.x0 >= w * (1 - EDGE_BAND);
    const rule = (c.border && (line || corner)) || (nearEdge && line);
    if (c.area < speck || rule) {
      for (const p of c.pixels) mask[p] = 0;
      const glyphLike =
        !c.border && ch > cw && c.x0 > hug && c.x1 < w - hug && ch < h * GLYPH_MAX_HEIGHT && c.area >= speck;
      if (rule && glyphLike) lone.push(c);
      continue;
    }
    kept.push(c);
  }
  // After rule pieces are gone (a streak cut short at the edge would pass for a glyph).
  dropOverflow(mask, raster, crop, threshold, dpi);
  const left = kept.map((c) => remaining(c, mask, w)).filter((c) => c.area > 0);
  const strays = strayDots(left);
  for (const c of left) {
    if (!strays.has(c)) keep(c);
    else for (const p of c.pixels) mask[p] = 0;
  }
  // A cell holding nothing but such a stroke holds a 1 set against its side, not a rule remnant
  // (which hugs the side, runs the height or touches the top or bottom).
  if (inkPixels === 0 && lone.length === 1) {
    const c = lone[0]!;
    for (const p of c.pixels) mask[p] = 1;
    keep(c);
  }
  if (inkPixels < MIN_INK_AREA_300 * scale * scale) return { ...blank, threshold, mask: new Uint8Array(w * h) };
  const local = { x0, y0, x1, y1 };
  const bands = rowBands(mask, w, local, Math.max(2, Math.round(ROW_GAP_300 * scale)));
  const rows = bands.length;
  const height = Math.max(0, ...bands.map(([b0, b1]) => b1 - b0));
  return {
    box: { x0: crop.x0 + x0, y0: crop.y0 + y0, x1: crop.x0 + x1, y1: crop.y0 + y1 },
    inkPixels,
    threshold,
    rows,
    bands,
    glyphs: rows <= 1 ? tallGlyphs(mask, w, local, height, strokeBridge(dpi)) : [],
    wide: rows <= 1 && hasWideGlyph(mask, w, local, height),
    crop,
    mask,
  };
}
