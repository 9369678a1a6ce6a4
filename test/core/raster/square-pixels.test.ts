import { describe, expect, it } from 'vitest';
import { toSquarePixels } from '../../../core/raster/square-pixels.js';

describe('toSquarePixels on a standard-mode fax (204 × 98 lines an inch)', () => {
  it('keeps two strokes one fax line apart dark and apart (the bowl of a squashed digit)', async () => {
    const width = 40;
    const height = 20;
    const data = new Uint8Array(width * height).fill(255);
    // Two one-line strokes with one paper line between them: a 0's or 8's top and bottom in ≈ 5 fax lines.
    for (const y of [8, 10]) for (let x = 5; x < 35; x++) data[y * width + x] = 0;
    const out = await toSquarePixels({ width, height, data }, 204, 98);
    expect(out.height).toBe(Math.round((height * 204) / 98));
    const column = Array.from({ length: out.height }, (_, y) => out.data[y * out.width + 20]!);
    const strokes = [column.slice(14, 20), column.slice(20, 26)].map((band) => Math.min(...band));
    const gap = Math.max(...column.slice(19, 22));
    // Strokes read as ink at any fixed threshold; the paper line between them stays paper.
    for (const s of strokes) expect(s).toBeLessThan(80);
    expect(gap).toBeGreaterThan(180);
  });
});
