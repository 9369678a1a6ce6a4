import type { SKRSContext2D } from '@napi-rs/canvas';

export interface RuledTable {
  /** Top-left corner of the grid, in the context's units. */
  readonly x: number;
  readonly y: number;
  readonly colWidths: readonly number[];
  readonly rowHeight: number;
  readonly rows: readonly (readonly string[])[];
}

/** Where the text of cell (r, c) starts: `inset` right of its left rule, on a baseline at `baseline` of the row height. */
export function cellTextOrigin(
  t: RuledTable,
  r: number,
  c: number,
  inset: number,
  baseline: number,
): { x: number; y: number } {
  const x = t.x + t.colWidths.slice(0, c).reduce((a, b) => a + b, 0) + inset;
  return { x, y: t.y + r * t.rowHeight + t.rowHeight * baseline };
}

/** Strokes the rules of a grid and fills its cell texts with the context's current pen and font. */
export function drawRuledTable(ctx: SKRSContext2D, t: RuledTable, inset: number, baseline: number): void {
  const width = t.colWidths.reduce((a, b) => a + b, 0);
  const height = t.rows.length * t.rowHeight;
  const line = (x0: number, y0: number, x1: number, y1: number): void => {
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  };
  for (let r = 0; r <= t.rows.length; r++) line(t.x, t.y + r * t.rowHeight, t.x + width, t.y + r * t.rowHeight);
  for (let c = 0, x = t.x; c <= t.colWidths.length; x += t.colWidths[c++] ?? 0) line(x, t.y, x, t.y + height);
  t.rows.forEach((row, r) =>
    row.forEach((text, c) => {
      const o = cellTextOrigin(t, r, c, inset, baseline);
      ctx.fillText(text, o.x, o.y);
    }),
  );
}
