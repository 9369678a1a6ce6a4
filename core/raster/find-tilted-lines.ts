import { downscaleBinary } from './downscale.js';
import { linkRuns, type RunBody } from './link-runs.js';
import { transpose, type BinaryRaster } from './raster.js';

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

/** A straight rule piece in pixels of the page: its end points along the fitted centre line. */
export interface TiltedLine {
  readonly axis: 'h' | 'v';
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A rule piece: a body of linked runs (link-runs.ts) with its line-fit sums. */
type Piece = RunBody;

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

function piecesAlong(data: Uint8Array, w: number, h: number, dpi: number): [number, number, number, number][] {
  const minRun = Math.max(3, Math.round(MIN_RUN_INCHES * dpi));
  const gap = Math.max(1, Math.round(RUN_GAP_INCHES * dpi));
  const maxThick = Math.max(3, MAX_THICK_INCHES * dpi);
  const done = linkRuns(data, w, h, minRun, gap, 'staircase');
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
