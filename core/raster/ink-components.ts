/** Bounding box and ink count of one 8-connected ink component (pixels of the image it was found in; x1/y1 exclusive). */
export interface InkComponent {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly area: number;
}

/**
 * The 8-connected components of the pixels where `ink(i)` holds, by union–find over one raster
 * pass (labels merged, then boxes gathered), so a page of ≈ 10⁵ components costs two passes.
 */
export function inkComponents(w: number, h: number, ink: (i: number) => boolean): InkComponent[] {
  const label = new Int32Array(w * h).fill(-1);
  let parent = new Int32Array(1024);
  let labels = 0;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  /** Joins the set of `l` (a root, or -1 for none yet) with the labelled pixel `j`; returns the root. */
  const join = (l: number, j: number): number => {
    const lj = label[j]!;
    if (lj < 0) return l;
    const r = find(lj);
    if (l < 0 || r === l) return r;
    const [lo, hi] = r < l ? [r, l] : [l, r];
    parent[hi] = lo;
    return lo;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!ink(i)) continue;
      let l = -1;
      if (x > 0) l = join(l, i - 1);
      if (y > 0) {
        if (x > 0) l = join(l, i - w - 1);
        l = join(l, i - w);
        if (x + 1 < w) l = join(l, i - w + 1);
      }
      if (l < 0) {
        if (labels === parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        l = labels;
        parent[labels] = labels;
        labels++;
      }
      label[i] = l;
    }
  }
  const boxes = new Map<number, { x0: number; y0: number; x1: number; y1: number; area: number }>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l0 = label[y * w + x]!;
      if (l0 < 0) continue;
      const r = find(l0);
      const b = boxes.get(r);
      if (!b) boxes.set(r, { x0: x, y0: y, x1: x + 1, y1: y + 1, area: 1 });
      else {
        if (x < b.x0) b.x0 = x;
        if (x + 1 > b.x1) b.x1 = x + 1;
        b.y1 = y + 1;
        b.area++;
      }
    }
  }
  return [...boxes.values()];
}
