import type { Raster } from '../../../core/raster/raster.js';

/** A white page of `widthIn` × `heightIn` inches at `dpi`. */
export function blankPage(widthIn: number, heightIn: number, dpi: number, paper = 250): Raster & { data: Uint8Array } {
  const width = Math.round(widthIn * dpi);
  const height = Math.round(heightIn * dpi);
  return { width, height, dpi, data: new Uint8Array(width * height).fill(paper) };
}

export function fillRect(page: Raster, x0: number, y0: number, x1: number, y1: number, value: number): void {
  for (let y = Math.max(0, Math.round(y0)); y < Math.min(page.height, Math.round(y1)); y++) {
    page.data.fill(
      value,
      y * page.width + Math.max(0, Math.round(x0)),
      y * page.width + Math.min(page.width, Math.round(x1)),
    );
  }
}

/** Fake CJK text: a row of square glyphs (王-like, as much ink above the middle as below), `size` px high. */
export function drawTextRow(page: Raster, x: number, y: number, chars: number, size: number, ink = 30): void {
  const stroke = Math.max(1, Math.round(size / 10));
  for (let c = 0; c < chars; c++) {
    const gx = x + c * Math.round(size * 1.1);
    fillRect(page, gx, y, gx + size, y + stroke, ink);
    fillRect(page, gx, y + (size - stroke) / 2, gx + size, y + (size + stroke) / 2, ink);
    fillRect(page, gx + size / 2, y, gx + size / 2 + stroke, y + size, ink);
    fillRect(page, gx, y + size - stroke, gx + size, y + size, ink);
  }
}

export interface GridSpec {
  readonly x: number;
  readonly y: number;
  readonly colWidths: readonly number[];
  readonly rowHeights: readonly number[];
  readonly thickness: number;
  /** Edges not drawn: `h:r:c` removes the rule under row r in column c; `v:r:c` the rule right of column c in row r. */
  readonly missing?: ReadonlySet<string>;
  readonly ink?: number;
}

/** Draws a ruled table; returns the rule centre positions. */
export function drawGrid(page: Raster, g: GridSpec): { xs: number[]; ys: number[] } {
  const xs = [g.x];
  for (const w of g.colWidths) xs.push(xs[xs.length - 1]! + w);
  const ys = [g.y];
  for (const h of g.rowHeights) ys.push(ys[ys.length - 1]! + h);
  const t = g.thickness;
  const ink = g.ink ?? 20;
  const half = t / 2;
  for (let r = 0; r < ys.length; r++) {
    for (let c = 0; c < g.colWidths.length; c++) {
      if (r > 0 && r < ys.length - 1 && g.missing?.has(`h:${r - 1}:${c}`)) continue;
      fillRect(page, xs[c]! - half, ys[r]! - half, xs[c + 1]! + half, ys[r]! + half, ink);
    }
  }
  for (let c = 0; c < xs.length; c++) {
    for (let r = 0; r < g.rowHeights.length; r++) {
      if (c > 0 && c < xs.length - 1 && g.missing?.has(`v:${r}:${c - 1}`)) continue;
      fillRect(page, xs[c]! - half, ys[r]! - half, xs[c]! + half, ys[r + 1]! + half, ink);
    }
  }
  return { xs, ys };
}

/** Deterministic pseudo-random noise (LCG): speckles of `density` and ±`jitter` gray jitter. */
export function addNoise(page: Raster, density: number, jitter: number, seed = 7): void {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < page.data.length; i++) {
    let v = page.data[i]! + Math.round((rnd() * 2 - 1) * jitter);
    if (rnd() < density) v = 40;
    page.data[i] = Math.max(0, Math.min(255, v));
  }
}

/** Erases ink on diagonal stripes (`gap` px wide, every `every` px) to imitate broken fax lines in both directions. */
export function breakLines(page: Raster, every: number, gap: number): void {
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++) {
      const i = y * page.width + x;
      if ((x + y) % every < gap && page.data[i]! < 128) page.data[i] = 250;
    }
  }
}
