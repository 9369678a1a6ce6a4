import { describe, expect, it } from 'vitest';
import type { CellReading } from '../../../core/ocr/cell-reading.js';
import type { InkReport } from '../../../core/ocr/find-ink.js';
import { zerosLikePage } from '../../../core/ocr/flanks-zero.js';
import { inspectCell } from '../../../core/ocr/read-cell.js';

/** The ink of a white one-row cell at 204 dpi, its strokes drawn as black boxes [x0, y0, x1, y1]. */
function ink(boxes: readonly (readonly [number, number, number, number])[]): InkReport {
  const width = 90;
  const height = 40;
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) data.fill(0, y * width + x0, y * width + x1);
  return inspectCell({ width, height, data }, { x0: 0, y0: 0, x1: width, y1: height }, 204)!.ink;
}

/** Two straight stems 13 px tall whose centres stand `apart` px apart (a Times 0 that lost its arcs: 6 px). */
const stems = (apart: number): InkReport =>
  ink([
    [40, 12, 43, 25],
    [40 + apart, 12, 43 + apart, 25],
  ]);
const reading = (text: string, confidence: number): CellReading => ({
  text,
  confidence,
  alternatives: [],
  kind: 'digits',
  rows: 1,
});

describe("a 0 printed as the page's own 0s print (two flanks their distance apart)", () => {
  const page = (extra: { r: CellReading; ink: InkReport }[], zeros = 5): (CellReading | null)[] => {
    const cells = [...Array.from({ length: zeros }, () => ({ r: reading('0', 0.5), ink: stems(6) })), ...extra];
    const readings: (CellReading | null)[] = cells.map((c) => c.r);
    zerosLikePage(
      readings,
      cells.map((c) => c.ink),
      cells.map(() => true),
      10,
    );
    return readings.slice(zeros);
  };

  it('reads the pair as a doubtful 0 whatever the recogniser made of it, its reading kept for the sums', () => {
    const [eleven, blank, cjk] = page([
      { r: reading('11', 0.6), ink: stems(6.5) },
      { r: { ...reading('', 0), kind: 'blank' }, ink: stems(6) },
      { r: { ...reading('村', 0.45), kind: 'label' }, ink: stems(7) },
    ]);
    expect([eleven!.text, eleven!.alternatives, eleven!.confidence]).toEqual(['0', ['11'], 0.6]);
    expect([blank!.text, blank!.kind, blank!.alternatives]).toEqual(['0', 'digits', []]);
    expect(cjk!.text).toBe('0');
    expect(cjk!.confidence).toBeLessThanOrEqual(0.45);
  });

  it('leaves an 11 a pitch apart, a sure number, and a page with too few 0s alone', () => {
    const [eleven, sure] = page([
      { r: reading('11', 0.6), ink: stems(10) },
      { r: reading('11', 0.95), ink: stems(6) },
    ]);
    expect(eleven!.text).toBe('11');
    expect(sure!.text).toBe('11');
    expect(page([{ r: reading('11', 0.6), ink: stems(6) }], 4)[0]!.text).toBe('11');
  });
});
