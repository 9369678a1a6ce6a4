import { estimateSkew, ruleMask, type InkPoints } from './estimate-skew.js';
import { inkComponents, type InkComponent } from './ink-components.js';
import type { BinaryRaster } from './raster.js';

/**
 * Weights of the three cues (natural-log ratios, upright over sideways). Glyph spacing is the
 * strongest and steadiest cue; glyph shape and text-row projection each separate most pages but
 * fail on some (a résumé form's flat headings, a table whose vertically set labels make rows weak).
 */
const WEIGHTS = { neighbours: 1, aspect: 0.5, projection: 0.5 } as const;
/** Components this much taller than wide count as tall (and the inverse as wide); squarer ones do not vote. */
const TALL = 1.25;
/** Glyph-sized: the larger side within these multiples of the page's median component. */
const GLYPH_RANGE = [0.4, 2.5] as const;

/**
 * Rows-vs-columns evidence for one page, each cue ln(upright / sideways); `score` > 0 says the
 * text runs horizontally (upright or upside down), < 0 that the page lies sideways.
 */
export interface OrientationEvidence {
  readonly score: number;
  /** Glyph spacing: a glyph's nearest neighbour sits beside it along a text line, not across lines. */
  readonly neighbours: number;
  /** Glyph shape: upright digits and Latin letters, and the left–right radicals of most Han glyphs, stand taller than wide. */
  readonly aspect: number;
  /** Text-row projection energy over text-column energy, of glyph ink only: lines of text stack in rows. */
  readonly projection: number;
  /** Glyph-sized components the first two cues were counted on. */
  readonly glyphs: number;
}

/**
 * How the text of a (small, ≈ 100 dpi) binarised page runs, from its glyphs, never from ruling
 * lines: a dense ruled table has more long vertical than horizontal rules, and a timetable's
 * two-line cells fused into columns when text runs were smeared at a guessed scale, which turned
 * upright tables sideways. Every cue is measured in units of the page's own glyph size.
 */
export function measureOrientation(bin: BinaryRaster): OrientationEvidence {
  const rules = ruleMask(bin);
  const glyphs = glyphComponents(inkComponents(bin.width, bin.height, (i) => bin.data[i] === 1 && rules[i] === 0));
  let tall = 0;
  let wide = 0;
  for (const c of glyphs) {
    const r = (c.y1 - c.y0) / (c.x1 - c.x0);
    if (r > TALL) tall++;
    else if (r < 1 / TALL) wide++;
  }
  const links = neighbourLinks(glyphs);
  const ink = glyphInk(bin, glyphs);
  const rowsEnergy = estimateSkew(ink, 'h', false).energy;
  const colsEnergy = estimateSkew(ink, 'v', false).energy;
  const aspect = Math.log((tall + 1) / (wide + 1));
  const neighbours = Math.log((links.along + 1) / (links.across + 1));
  const projection = rowsEnergy > 0 && colsEnergy > 0 ? Math.log(rowsEnergy / colsEnergy) : 0;
  const score = WEIGHTS.neighbours * neighbours + WEIGHTS.aspect * aspect + WEIGHTS.projection * projection;
  return { score, neighbours, aspect, projection, glyphs: glyphs.length };
}

/**
 * The ink pixels inside glyph boxes, for the projection cue: a photo's page edges and a table's
 * tilted rules are long straight ink that the axis-parallel rule mask misses, and their projection
 * outweighed the text (a keystoned table page came out sideways).
 */
function glyphInk(bin: BinaryRaster, glyphs: readonly InkComponent[]): InkPoints {
  const inside = new Uint8Array(bin.width * bin.height);
  for (const c of glyphs) for (let y = c.y0; y < c.y1; y++) inside.fill(1, y * bin.width + c.x0, y * bin.width + c.x1);
  let n = 0;
  for (let i = 0; i < inside.length; i++) if (inside[i] === 1 && bin.data[i] === 1) n++;
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  for (let i = 0, k = 0; i < inside.length; i++) {
    if (inside[i] !== 1 || bin.data[i] !== 1) continue;
    xs[k] = i % bin.width;
    ys[k++] = (i / bin.width) | 0;
  }
  return { xs, ys, width: bin.width, height: bin.height };
}

const side = (c: InkComponent): number => Math.max(c.x1 - c.x0, c.y1 - c.y0);

function median(v: readonly number[]): number {
  if (v.length === 0) return 0;
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Components of about the page's glyph (or radical) size: no specks, no frames or stamps. */
function glyphComponents(all: readonly InkComponent[]): InkComponent[] {
  const sized = all.filter((c) => side(c) >= 4);
  const m = median(sized.map(side));
  return sized.filter(
    (c) => side(c) >= GLYPH_RANGE[0] * m && side(c) <= GLYPH_RANGE[1] * m && Math.min(c.x1 - c.x0, c.y1 - c.y0) >= 2,
  );
}

function neighbourLinks(glyphs: readonly InkComponent[]): { along: number; across: number } {
  const cell = Math.max(4, Math.round(2 * median(glyphs.map(side))));
  const grid = new Map<string, number[]>();
  const at = (c: InkComponent): [number, number] => [
    Math.floor((c.x0 + c.x1) / 2 / cell),
    Math.floor((c.y0 + c.y1) / 2 / cell),
  ];
  glyphs.forEach((c, i) => {
    const k = at(c).join();
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  });
  let along = 0;
  let across = 0;
  glyphs.forEach((c, i) => {
    const [gx, gy] = at(c);
    let gapX = Infinity;
    let gapY = Infinity;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const j of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
          if (j === i) continue;
          const o = glyphs[j]!;
          const overlapY = Math.min(c.y1, o.y1) - Math.max(c.y0, o.y0);
          const overlapX = Math.min(c.x1, o.x1) - Math.max(c.x0, o.x0);
          if (o.x0 >= c.x1 && overlapY > 0.5 * Math.min(c.y1 - c.y0, o.y1 - o.y0)) gapX = Math.min(gapX, o.x0 - c.x1);
          if (o.y0 >= c.y1 && overlapX > 0.5 * Math.min(c.x1 - c.x0, o.x1 - o.x0)) gapY = Math.min(gapY, o.y0 - c.y1);
        }
      }
    }
    if (gapX < gapY) along++;
    else if (gapY < gapX) across++;
  });
  return { along, across };
}
