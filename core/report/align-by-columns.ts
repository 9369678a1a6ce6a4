import type { Cell } from '../model/index.js';

/**
 * Places value cells under known column centres (x, in points) when a row has fewer cells than
 * columns (text-aligned tables drop blank cells). Each cell goes to the nearest free centre.
 */
export function alignByColumns(values: readonly Cell[], centres: readonly number[]): (Cell | null)[] {
  const slots: (Cell | null)[] = centres.map(() => null);
  for (const cell of values) {
    const x = (cell.box.x0 + cell.box.x1) / 2;
    let best = -1;
    let bestDistance = Infinity;
    centres.forEach((centre, i) => {
      const distance = Math.abs(centre - x);
      if (slots[i] === null && distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    });
    if (best >= 0) slots[best] = cell;
  }
  return slots;
}

export function centreOf(cell: Cell): number {
  return (cell.box.x0 + cell.box.x1) / 2;
}
