import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { cross, homLine, type Vec3 } from './homography.js';
import type { TiltedLine } from './find-tilted-lines.js';

/** A rule pointing more than this (degrees) away from its family's vanishing point is an outlier (a desk edge, a bent corner). */
const MAX_RESIDUAL_DEG = 0.6;
/** Each family needs this many consistent rules before its convergence is trusted. */
const MIN_LINES = 3;

export interface Family {
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
export function fitFamily(lines: readonly TiltedLine[]): Family | null {
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

/** Eigenvector of the smallest eigenvalue of a symmetric 3 × 3 matrix. */
function smallestEigenvector(m: readonly number[]): Vec3 {
  const e = new EigenvalueDecomposition(Matrix.from1DArray(3, 3, [...m]), { assumeSymmetric: true });
  const values = e.realEigenvalues;
  let best = 0;
  for (let i = 1; i < 3; i++) if (values[i]! < values[best]!) best = i;
  const v = e.eigenvectorMatrix.getColumn(best);
  return [v[0]!, v[1]!, v[2]!];
}
