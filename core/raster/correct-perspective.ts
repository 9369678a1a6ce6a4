import { downscaleBinary } from './downscale.js';
import { sampleBilinear, transpose, type BinaryRaster, type Raster } from './raster.js';

/**
 * A projective map as a row-major 3×3 matrix: (x, y) → ((h0 x + h1 y + h2) / w, (h3 x + h4 y + h5) / w),
 * w = h6 x + h7 y + h8.
 */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/** Line pieces are searched at about this resolution: rules stay a pixel or two thick, the cost is ≈ 1/4 of 300 dpi. */
const ANALYSIS_DPI = 150;
/** A run this long (inches) in one row may be part of a rule: a 1.5-px rule tilted 8° still gives runs of ≈ 0.07 in. */
const MIN_RUN_INCHES = 0.06;
/** Gaps this short (inches) inside a run are bridged (dropouts in faint rules). */
const RUN_GAP_INCHES = 0.02;
/** Pieces shorter than this (inches) are not joined into rules: strokes of glyphs. */
const MIN_PIECE_INCHES = 0.12;
/** Collinear pieces with gaps up to this (inches) are one broken rule. */
const JOIN_GAP_INCHES = 0.3;
/** Pieces whose fitted lines pass this close (inches) to each other's ends are collinear. */
const COLLINEAR_INCHES = 0.015;
/** A rule used for the estimate is at least this long (inches): long pieces give reliable slopes. */
const MIN_LINE_INCHES = 0.6;
/** Thicker than this (inches) is a bar or text, not a rule (as in find-raster-lines). */
const MAX_THICK_INCHES = 0.03;
/** Ink across the fitted line may scatter this far (inches, RMS) from it: a straight rule, not a stroke cluster. */
const MAX_SCATTER_INCHES = 0.012;
/** Side bands are probed this far (inches) beyond the fitted line: a rule has paper on both sides. */
const SIDE_OFFSET_INCHES = 0.02;
const MAX_SIDE_INK = 0.25;
/** Only rules within this angle (degrees) of the axis belong to its family (the page is already deskewed). */
const MAX_TILT_DEG = 12;
/** A rule pointing more than this (degrees) away from its family's vanishing point is an outlier (a desk edge, a bent corner). */
const MAX_RESIDUAL_DEG = 0.6;
/** Each family needs this many consistent rules before its convergence is trusted. */
const MIN_LINES = 3;
/**
 * Correct only when some corner of the ruled area moves by more than this (inches): below it the
 * grid builder copes, and a flat-bed scan's line fits wobble by a few pixels (warping such a page
 * for nothing moved its crops and cost a dev scan a digit).
 */
const MIN_CORRECTION_INCHES = 0.08;
/** A correction moving a corner by more than this share of the ruled area's size is a misfit, not a photo. */
const MAX_CORRECTION_SHARE = 0.2;

/** A straight rule piece in pixels of the page: its end points along the fitted centre line. */
export interface TiltedLine {
  readonly axis: 'h' | 'v';
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface PerspectiveFix {
  /** Maps output (rectified) pixels to source pixels: the inverse warp. */
  readonly toSource: Homography;
  /** Largest displacement of a corner of the ruled area (pixels). */
  readonly shiftPx: number;
  /** The rules the estimate rests on. */
  readonly lines: readonly TiltedLine[];
}

/**
 * Keystone of a photographed form: finds straight rule pieces at any tilt up to MAX_TILT_DEG,
 * fits one vanishing point per family (horizontal rules, vertical rules), and returns the
 * projective map that makes both families axis-parallel again, keeping the ruled area's centre
 * lines where they are. Null when the rules are already parallel (scans), when a family has too
 * few consistent rules, or when the fit is implausible.
 */
export function estimatePerspective(bin: BinaryRaster): PerspectiveFix | null {
  const lines = findTiltedLines(bin);
  const h = fitFamily(lines.filter((l) => l.axis === 'h'));
  const v = fitFamily(lines.filter((l) => l.axis === 'v'));
  if (!h || !v) return null;
  const used = [...h.lines, ...v.lines];
  const X0 = Math.min(...used.map((l) => Math.min(l.x0, l.x1)));
  const X1 = Math.max(...used.map((l) => Math.max(l.x0, l.x1)));
  const Y0 = Math.min(...used.map((l) => Math.min(l.y0, l.y1)));
  const Y1 = Math.max(...used.map((l) => Math.max(l.y0, l.y1)));
  const cx = (X0 + X1) / 2;
  const cy = (Y0 + Y1) / 2;
  // The quadrilateral bounded by the family lines through the area's edge midpoints goes to the
  // rectangle of the area: rules become axis-parallel, the scale at the centre stays about 1.
  const top = lineThrough(h.vp, [cx, Y0, 1]);
  const bottom = lineThrough(h.vp, [cx, Y1, 1]);
  const left = lineThrough(v.vp, [X0, cy, 1]);
  const right = lineThrough(v.vp, [X1, cy, 1]);
  const quad = [meet(top, left), meet(top, right), meet(bottom, right), meet(bottom, left)];
  if (quad.some((p) => p === null)) return null;
  const rect: [number, number][] = [
    [X0, Y0],
    [X1, Y0],
    [X1, Y1],
    [X0, Y1],
  ];
  const src = quad as [number, number][];
  const shiftPx = Math.max(...src.map((p, i) => Math.hypot(p[0] - rect[i]![0], p[1] - rect[i]![1])));
  if (shiftPx < MIN_CORRECTION_INCHES * bin.dpi) return null;
  if (shiftPx > MAX_CORRECTION_SHARE * Math.min(X1 - X0, Y1 - Y0)) return null;
  const toSource = homographyFromPoints(rect, src);
  return toSource ? { toSource, shiftPx, lines: used } : null;
}

/** Applies a homography to a point. */
export function applyHomography(m: Homography, x: number, y: number): [number, number] {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

/**
 * The homography taking each of four points `from[i]` to `to[i]` (direct linear transform with
 * h8 = 1, an 8 × 8 solve). Null when three of the points are collinear.
 */
export function homographyFromPoints(
  from: readonly (readonly [number, number])[],
  to: readonly (readonly [number, number])[],
): Homography | null {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  const h = solve(a);
  return h ? [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1] : null;
}

/** The output→source homography that turns content skewed clockwise by `skewDeg` level about the image centre (as deskewRaster does). */
export function rotationAbout(w: number, h: number, skewDeg: number): Homography {
  const rad = (skewDeg * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0, 0, 1];
}

/**
 * Warps a gray page by an output→source homography with bilinear sampling; the output keeps the
 * source size and uncovered pixels become white. ≈ 15 operations per pixel.
 */
export function warpRaster(src: Raster, toSource: Homography): Raster {
  const { width: w, height: h, data } = src;
  const out = new Uint8Array(w * h);
  const [a, b, c, d, e, f, g, k, l] = toSource;
  const maxX = w - 1;
  const maxY = h - 1;
  for (let y = 0; y < h; y++) {
    // Numerators and denominator are linear in x: step them instead of recomputing.
    let nx = b * y + c;
    let ny = e * y + f;
    let dw = k * y + l;
    const row = y * w;
    for (let x = 0; x < w; x++, nx += a, ny += d, dw += g) {
      const sx = nx / dw;
      const sy = ny / dw;
      if (!(sx >= 0 && sy >= 0 && sx < maxX && sy < maxY)) {
        out[row + x] = 255;
        continue;
      }
      out[row + x] = (sampleBilinear(data, w, sx, sy) + 0.5) | 0;
    }
  }
  return { width: w, height: h, data: out, dpi: src.dpi };
}

/**
 * Warps a binary page (nearest neighbour: ink stays 0/1 and one-pixel rules stay connected at scale ≈ 1).
 * The row stepping repeats warpRaster's on purpose: a shared per-pixel callback measured twice as slow here.
 */
export function warpBinary(src: BinaryRaster, toSource: Homography): BinaryRaster {
  const { width: w, height: h, data } = src;
  const out = new Uint8Array(w * h);
  const [a, b, c, d, e, f, g, k, l] = toSource;
  for (let y = 0; y < h; y++) {
    let nx = b * y + c;
    let ny = e * y + f;
    let dw = k * y + l;
    const row = y * w;
    for (let x = 0; x < w; x++, nx += a, ny += d, dw += g) {
      const sx = Math.round(nx / dw);
      const sy = Math.round(ny / dw);
      if (sx >= 0 && sy >= 0 && sx < w && sy < h) out[row + x] = data[sy * w + sx]!;
    }
  }
  return { width: w, height: h, data: out, dpi: src.dpi };
}

// ---------------------------------------------------------------------------------------------
// Tilted rule pieces

interface Piece {
  from: number;
  to: number;
  /** Extent of the runs in the last row that joined: the next row's run must touch it (staircase). */
  lastFrom: number;
  lastTo: number;
  lastRow: number;
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  syy: number;
}

/** Rule pieces at any tilt up to MAX_TILT_DEG, found on a 2×-style OR-shrunk copy, in pixels of `bin`. */
export function findTiltedLines(bin: BinaryRaster): TiltedLine[] {
  const f = Math.max(1, Math.round(bin.dpi / ANALYSIS_DPI));
  const small = downscaleBinary(bin, f);
  const h = piecesAlong(small.data, small.width, small.height, small.dpi);
  const v = piecesAlong(transpose(small.data, small.width, small.height), small.height, small.width, small.dpi);
  // Back to full-resolution pixel centres: a small pixel i covers f·i … f·i + f − 1.
  const up = (t: number): number => t * f + (f - 1) / 2;
  return [
    ...h.map(([a, b, c, d]) => ({ axis: 'h' as const, x0: up(a), y0: up(b), x1: up(c), y1: up(d) })),
    ...v.map(([a, b, c, d]) => ({ axis: 'v' as const, x0: up(b), y0: up(a), x1: up(d), y1: up(c) })),
  ];
}

/** Sum of x² for x = 0 … k. */
const sq = (k: number): number => (k * (k + 1) * (2 * k + 1)) / 6;

function piecesAlong(data: Uint8Array, w: number, h: number, dpi: number): [number, number, number, number][] {
  const minRun = Math.max(3, Math.round(MIN_RUN_INCHES * dpi));
  const gap = Math.max(1, Math.round(RUN_GAP_INCHES * dpi));
  const maxThick = Math.max(3, MAX_THICK_INCHES * dpi);
  const open: Piece[] = [];
  const done: Piece[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let start = -1;
    let last = -1;
    for (let x = 0; x <= w; x++) {
      const ink = x < w && data[row + x] === 1;
      if (ink) {
        if (start < 0) start = x;
        last = x;
      } else if (start >= 0 && (x - last > gap || x === w)) {
        if (last - start + 1 >= minRun) addPiece(open, y, start, last, gap);
        start = -1;
      }
    }
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.lastRow < y - 2) done.push(...open.splice(i, 1));
  }
  done.push(...open);
  // Broken rules (binarisation dropouts, glare) come in pieces: join collinear ones, then judge the whole.
  const pieces = done.filter(
    (p) => p.to - p.from + 1 >= MIN_PIECE_INCHES * dpi && p.n / (p.to - p.from + 1) <= maxThick,
  );
  const out: [number, number, number, number][] = [];
  for (const p of joinPieces(pieces, JOIN_GAP_INCHES * dpi, Math.max(1.5, COLLINEAR_INCHES * dpi))) {
    const line = judge(p, data, w, h, dpi);
    if (line) out.push(line);
  }
  return out;
}

interface Fit {
  readonly mx: number;
  readonly my: number;
  readonly slope: number;
  /** RMS distance of the ink from the fitted centre line. */
  readonly scatter: number;
}

function fit(p: Piece): Fit {
  const mx = p.sx / p.n;
  const my = p.sy / p.n;
  const vxx = p.sxx / p.n - mx * mx;
  const vxy = p.sxy / p.n - mx * my;
  const vyy = p.syy / p.n - my * my;
  const slope = vxx > 0 ? vxy / vxx : 0;
  return { mx, my, slope, scatter: Math.sqrt(Math.max(0, vyy - slope * vxy) / (1 + slope * slope)) };
}

/** A joined piece becomes a rule when it is long, straight, thin, near the axis and has paper on both sides. */
function judge(p: Piece, data: Uint8Array, w: number, h: number, dpi: number): [number, number, number, number] | null {
  const len = p.to - p.from + 1;
  if (len < MIN_LINE_INCHES * dpi) return null;
  const { mx, my, slope, scatter } = fit(p);
  if (Math.abs(slope) > Math.tan((MAX_TILT_DEG * Math.PI) / 180)) return null;
  // a 3-px rule scatters ≈ 0.9 px about its centre line
  if (scatter > Math.max(1.5, MAX_SCATTER_INCHES * dpi)) return null;
  const off = p.n / len / 2 + Math.max(2, SIDE_OFFSET_INCHES * dpi);
  if (
    Math.max(
      sideInk(data, w, h, p.from, p.to, mx, my, slope, -off),
      sideInk(data, w, h, p.from, p.to, mx, my, slope, off),
    ) > MAX_SIDE_INK
  )
    return null;
  return [p.from, my + slope * (p.from - mx), p.to, my + slope * (p.to - mx)];
}

/** Merges pieces lying on one straight line (each one's fit passes within `across` of the other's ends) with gaps up to `gap`. */
function joinPieces(pieces: readonly Piece[], gap: number, across: number): Piece[] {
  const sorted = [...pieces].sort((a, b) => a.from - b.from);
  const used = new Uint8Array(sorted.length);
  const out: Piece[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const cur = { ...sorted[i]! };
    used[i] = 1;
    for (let j = i + 1; j < sorted.length; j++) {
      const o = sorted[j]!;
      if (used[j]) continue;
      if (o.from > cur.to + gap) break;
      const a = fit(cur);
      const b = fit(o);
      const yCur = a.my + a.slope * (o.from - a.mx);
      const yO = b.my + b.slope * (cur.to - b.mx);
      const curAtOEnd = a.my + a.slope * (cur.to - a.mx);
      const oAtStart = b.my + b.slope * (o.from - b.mx);
      if (Math.abs(yCur - oAtStart) > across || Math.abs(yO - curAtOEnd) > across) continue;
      cur.from = Math.min(cur.from, o.from);
      cur.to = Math.max(cur.to, o.to);
      cur.n += o.n;
      cur.sx += o.sx;
      cur.sy += o.sy;
      cur.sxx += o.sxx;
      cur.sxy += o.sxy;
      cur.syy += o.syy;
      used[j] = 1;
    }
    out.push(cur);
  }
  return out;
}

function addPiece(open: Piece[], y: number, a: number, b: number, gap: number): void {
  const n = b - a + 1;
  const sx = (n * (a + b)) / 2;
  const sxx = sq(b) - (a > 0 ? sq(a - 1) : 0);
  for (const p of open) {
    if (p.lastRow >= y - 2 && a <= p.lastTo + gap && b >= p.lastFrom - gap) {
      if (p.lastRow === y) {
        p.lastFrom = Math.min(p.lastFrom, a);
        p.lastTo = Math.max(p.lastTo, b);
      } else {
        p.lastFrom = a;
        p.lastTo = b;
      }
      p.from = Math.min(p.from, a);
      p.to = Math.max(p.to, b);
      p.lastRow = y;
      p.n += n;
      p.sx += sx;
      p.sy += n * y;
      p.sxx += sxx;
      p.sxy += y * sx;
      p.syy += n * y * y;
      return;
    }
  }
  open.push({ from: a, to: b, lastFrom: a, lastTo: b, lastRow: y, n, sx, sy: n * y, sxx, sxy: y * sx, syy: n * y * y });
}

/** Share of ink along the fitted line shifted by `off` pixels across it. */
function sideInk(
  data: Uint8Array,
  w: number,
  h: number,
  from: number,
  to: number,
  mx: number,
  my: number,
  slope: number,
  off: number,
): number {
  let ink = 0;
  let n = 0;
  for (let x = from; x <= to; x++) {
    const y = Math.round(my + slope * (x - mx) + off);
    if (y < 0 || y >= h) continue;
    ink += data[y * w + x]!;
    n++;
  }
  return n > 0 ? ink / n : 0;
}

// ---------------------------------------------------------------------------------------------
// Vanishing points

type Vec3 = [number, number, number];

interface Family {
  /** Homogeneous vanishing point (third coordinate 0 when the rules are parallel). */
  readonly vp: Vec3;
  readonly lines: readonly TiltedLine[];
}

/**
 * The point the rules of one family converge to. A desk edge or a curled page border would pull a
 * plain least-squares fit away, so the consensus comes first: every pair of rules proposes its
 * crossing and the one most rule length agrees with wins (rules of one family are at most a few
 * dozen). Then the least-squares solution of l·V = 0 over the agreeing rules' normalised
 * homogeneous lines, weighted by length, refines it.
 */
function fitFamily(lines: readonly TiltedLine[]): Family | null {
  if (lines.length < MIN_LINES) return null;
  // Coordinates are centred and scaled to ≈ 1 so the 3 × 3 system is well conditioned.
  const xs = lines.flatMap((l) => [l.x0, l.x1]);
  const ys = lines.flatMap((l) => [l.y0, l.y1]);
  const ox = (Math.min(...xs) + Math.max(...xs)) / 2;
  const oy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const s = Math.max(1, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2;
  const hom = lines.map((l) => homLine((l.x0 - ox) / s, (l.y0 - oy) / s, (l.x1 - ox) / s, (l.y1 - oy) / s));
  const weight = lines.map((l) => Math.hypot(l.x1 - l.x0, l.y1 - l.y0));
  const agreeing = (vp: Vec3): number[] =>
    lines.flatMap((l, i) => (residualDeg(l, vp, ox, oy, s) <= MAX_RESIDUAL_DEG ? [i] : []));
  let best: number[] = [];
  let bestWeight = 0;
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const inl = agreeing(cross(hom[i]!, hom[j]!));
      const wgt = inl.reduce((sum, k) => sum + weight[k]!, 0);
      if (wgt > bestWeight) [best, bestWeight] = [inl, wgt];
    }
  }
  for (let round = 0; round < 3 && best.length >= MIN_LINES; round++) {
    const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (const k of best)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m[i * 3 + j]! += weight[k]! * hom[k]![i]! * hom[k]![j]!;
    const vpN = smallestEigenvector(m);
    const next = agreeing(vpN);
    if (next.length >= MIN_LINES && (next.length === best.length || round === 2)) {
      // back to pixel coordinates: x = s·x' + ox
      const vp: Vec3 = [s * vpN[0] + ox * vpN[2], s * vpN[1] + oy * vpN[2], vpN[2]];
      return { vp, lines: next.map((k) => lines[k]!) };
    }
    best = next;
  }
  return null;
}

/** Homogeneous line through two points, scaled so (a, b) is a unit normal. */
function homLine(x0: number, y0: number, x1: number, y1: number): Vec3 {
  const a = y0 - y1;
  const b = x1 - x0;
  const c = x0 * y1 - x1 * y0;
  const n = Math.hypot(a, b) || 1;
  return [a / n, b / n, c / n];
}

/** Angle between a rule and the direction from its midpoint to the vanishing point (normalised coordinates). */
function residualDeg(l: TiltedLine, vp: Vec3, ox: number, oy: number, s: number): number {
  const mx = ((l.x0 + l.x1) / 2 - ox) / s;
  const my = ((l.y0 + l.y1) / 2 - oy) / s;
  const dx = vp[0] - mx * vp[2];
  const dy = vp[1] - my * vp[2];
  const ux = l.x1 - l.x0;
  const uy = l.y1 - l.y0;
  const cross = Math.abs(dx * uy - dy * ux);
  const dot = Math.abs(dx * ux + dy * uy);
  return (Math.atan2(cross, dot) * 180) / Math.PI;
}

/** Eigenvector of the smallest eigenvalue of a symmetric 3 × 3 matrix (Jacobi rotations). */
function smallestEigenvector(m0: readonly number[]): Vec3 {
  const a = [...m0];
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[1]! ** 2 + a[2]! ** 2 + a[5]! ** 2;
    if (off < 1e-30) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = a[p * 3 + q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * 3 + q]! - a[p * 3 + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const sn = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k * 3 + p]!;
        const akq = a[k * 3 + q]!;
        a[k * 3 + p] = c * akp - sn * akq;
        a[k * 3 + q] = sn * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p * 3 + k]!;
        const aqk = a[q * 3 + k]!;
        a[p * 3 + k] = c * apk - sn * aqk;
        a[q * 3 + k] = sn * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k * 3 + p]!;
        const vkq = v[k * 3 + q]!;
        v[k * 3 + p] = c * vkp - sn * vkq;
        v[k * 3 + q] = sn * vkp + c * vkq;
      }
    }
  }
  let best = 0;
  for (let i = 1; i < 3; i++) if (a[i * 4]! < a[best * 4]!) best = i;
  return [v[best]!, v[3 + best]!, v[6 + best]!];
}

function cross(p: Vec3, q: Vec3): Vec3 {
  return [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
}

/** The line through a (possibly infinite) vanishing point and a finite point. */
function lineThrough(vp: Vec3, p: Vec3): Vec3 {
  return cross(vp, p);
}

function meet(l: Vec3, m: Vec3): [number, number] | null {
  const p = cross(l, m);
  return Math.abs(p[2]) < 1e-12 ? null : [p[0] / p[2], p[1] / p[2]];
}

/** Gaussian elimination with partial pivoting on an n × (n + 1) augmented matrix. */
function solve(a: number[][]): number[] | null {
  const n = a.length;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    if (Math.abs(a[piv]![c]!) < 1e-12) return null;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    const row = a[c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const k = a[r]![c]! / row[c]!;
      if (k === 0) continue;
      for (let j = c; j <= n; j++) a[r]![j]! -= k * row[j]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}
