import { describe, expect, it } from 'vitest';
import { linkRuns } from '../../../core/raster/link-runs.js';

/** A binary image with the given runs inked: [row, from, to] (to inclusive). */
function image(w: number, h: number, runs: readonly [number, number, number][]): Uint8Array {
  const data = new Uint8Array(w * h);
  for (const [y, a, b] of runs) data.fill(1, y * w + a, y * w + b + 1);
  return data;
}

describe('linkRuns (the row-to-row linking behind raster and tilted rule finding)', () => {
  // A rule stepping down to the right, 10 px a row, then a run back under its start.
  const W = 60;
  const H = 6;
  const stairs = image(W, H, [
    [0, 0, 11],
    [1, 10, 21],
    [2, 20, 31],
    [3, 0, 9],
  ]);

  it('follows a tilted rule by its last row (staircase) and keeps the run under its start apart', () => {
    const bodies = linkRuns(stairs, W, H, 5, 1, 'staircase');
    expect(bodies).toHaveLength(2);
    const [rule, other] = bodies;
    expect(rule).toMatchObject({ from: 0, to: 31, firstRow: 0, lastRow: 2, n: 36 });
    expect(other).toMatchObject({ from: 0, to: 9, firstRow: 3, lastRow: 3, n: 10 });
    // The fit sums: Σx over 0…11, 10…21, 20…31 and Σy, Σx·y.
    const xs = [0, 1, 2].flatMap((r) => Array.from({ length: 12 }, (_, i) => ({ x: r * 10 + i, y: r })));
    expect(rule!.sx).toBe(xs.reduce((s, p) => s + p.x, 0));
    expect(rule!.sy).toBe(xs.reduce((s, p) => s + p.y, 0));
    expect(rule!.sxx).toBe(xs.reduce((s, p) => s + p.x * p.x, 0));
    expect(rule!.sxy).toBe(xs.reduce((s, p) => s + p.x * p.y, 0));
    expect(rule!.syy).toBe(xs.reduce((s, p) => s + p.y * p.y, 0));
  });

  it('joins any run overlapping what the body spans (extent), as a thick axis-parallel rule needs', () => {
    const bodies = linkRuns(stairs, W, H, 5, 1, 'extent');
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ from: 0, to: 31, lastRow: 3, n: 46 });
  });

  it('ignores short runs, bridges short gaps and closes a body after two empty rows', () => {
    const data = image(W, 8, [
      [0, 0, 9],
      [0, 12, 20], // 2-px gap: bridged into one run 0…20
      [1, 40, 42], // too short
      [2, 0, 20], // one empty row between: still the same body
      [5, 0, 20], // two empty rows between: a new body
    ]);
    const bodies = linkRuns(data, W, 8, 5, 2, 'extent');
    expect(bodies.map((b) => [b.firstRow, b.lastRow, b.from, b.to])).toEqual([
      [0, 2, 0, 20],
      [5, 5, 0, 20],
    ]);
  });
});
