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

/**
 * A row with more cells than columns (a grid that took extra column lines from a table printed above it
 * on the same page): each column's value is the cell under its header's centre, when every centre falls in
 * a cell of its own; else null. `doubtful` when a cell under no centre holds writing.
 */
export function underHeaderCentres(
  values: readonly Cell[],
  centres: readonly number[],
): { readonly slots: Cell[]; readonly doubtful: boolean } | null {
  const slots = centres.map((x) => values.find((c) => c.box.x0 <= x && x < c.box.x1));
  if (slots.some((s) => s === undefined) || new Set(slots).size < slots.length) return null;
  const taken = slots as Cell[];
  return { slots: taken, doubtful: values.some((c) => !taken.includes(c) && c.text.trim() !== '') };
}
