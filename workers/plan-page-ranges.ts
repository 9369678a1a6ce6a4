import type { PageRange } from '../core/index.js';

/** Splits pages `from…to` into consecutive ranges of at most `size` pages. */
export function planPageRanges(from: number, to: number, size: number): PageRange[] {
  const step = Math.max(1, Math.floor(size));
  const ranges: PageRange[] = [];
  for (let start = from; start <= to; start += step) ranges.push({ from: start, to: Math.min(to, start + step - 1) });
  return ranges;
}
