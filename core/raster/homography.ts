import { LuDecomposition, Matrix } from 'ml-matrix';

/**
 * A projective map as a row-major 3×3 matrix: (x, y) → ((h0 x + h1 y + h2) / w, (h3 x + h4 y + h5) / w),
 * w = h6 x + h7 y + h8.
 */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/** A homogeneous 2-D point or line. */
export type Vec3 = [number, number, number];

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
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(u, v);
  }
  const lu = new LuDecomposition(new Matrix(a));
  if (lu.isSingular()) return null;
  const h = lu.solve(Matrix.columnVector(b)).to1DArray();
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
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

/** Cross product: the line through two points, or the point where two lines meet. */
export function cross(p: Vec3, q: Vec3): Vec3 {
  return [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
}

/** Homogeneous line through two points, scaled so (a, b) is a unit normal. */
export function homLine(x0: number, y0: number, x1: number, y1: number): Vec3 {
  const a = y0 - y1;
  const b = x1 - x0;
  const c = x0 * y1 - x1 * y0;
  const n = Math.hypot(a, b) || 1;
  return [a / n, b / n, c / n];
}

/** The line through a (possibly infinite) vanishing point and a finite point. */
export function lineThrough(vp: Vec3, p: Vec3): Vec3 {
  return cross(vp, p);
}

/** Where two lines cross, or null when they are parallel. */
export function meet(l: Vec3, m: Vec3): [number, number] | null {
  const p = cross(l, m);
  return Math.abs(p[2]) < 1e-12 ? null : [p[0] / p[2], p[1] / p[2]];
}
