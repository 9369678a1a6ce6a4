import type { Cell, Page, Table } from '../model/index.js';
import { normalizeText } from '../text/normalize-text.js';

/** Column rules this close (points) on consecutive pages are the same column boundary. */
const SAME_ANCHOR = 3;
/** Text lines this short between a table and the page edge are running heads, footers or page numbers. */
const MAX_MARGIN_CHARS = 12;

/** Distinct cell edges (x) of the cells on `page` (all pages when -1). */
function colAnchors(cells: readonly Cell[], page: number): number[] {
  const xs = cells.filter((c) => page === -1 || c.page === page).flatMap((c) => [c.box.x0, c.box.x1]);
  xs.sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of xs) if (out.length === 0 || x - (out[out.length - 1] as number) > SAME_ANCHOR) out.push(x);
  return out;
}

/** Every anchor of `a` is an anchor of `b`, and both share the outer edges. */
function fitsInto(a: readonly number[], b: readonly number[]): boolean {
  const near = (x: number, ys: readonly number[]): boolean => ys.some((y) => Math.abs(x - y) <= SAME_ANCHOR);
  if (a.length < 2 || b.length < 2) return false;
  if (Math.abs((a[0] as number) - (b[0] as number)) > SAME_ANCHOR) return false;
  if (Math.abs((a[a.length - 1] as number) - (b[b.length - 1] as number)) > SAME_ANCHOR) return false;
  return a.every((x) => near(x, b));
}

function lastPage(t: Table): number {
  return t.pages[t.pages.length - 1] as number;
}

/** Nothing but margin text lies between the table and the page edge (below it when `below`, else above). */
function clearToEdge(page: Page | undefined, table: Table, page1: number, below: boolean): boolean {
  if (!page) return false;
  const cells = table.cells.filter((c) => c.page === page1);
  const top = Math.min(...cells.map((c) => c.box.y0));
  const bottom = Math.max(...cells.map((c) => c.box.y1));
  return page.lines.every((l) => {
    const beyond = below ? l.box.y0 >= bottom - 1 : l.box.y1 <= top + 1;
    return !beyond || [...l.text].length <= MAX_MARGIN_CHARS;
  });
}

function firstRowTexts(t: Table, row: number): string {
  return t.cells
    .filter((c) => c.row === row)
    .map((c) => normalizeText(c.text))
    .join('|');
}

function indexOf(anchors: readonly number[], x: number): number {
  let best = 0;
  for (let i = 1; i < anchors.length; i++)
    if (Math.abs((anchors[i] as number) - x) < Math.abs((anchors[best] as number) - x)) best = i;
  return best;
}

/** `above` spans several rows down to the break and sits exactly over `below`. */
function continues(above: Cell, below: Cell, firstRow: number): boolean {
  return (
    above.rowSpan > 1 &&
    above.row + above.rowSpan === firstRow &&
    above.col === below.col &&
    above.colSpan === below.colSpan
  );
}

function join(prev: Table, next: Table): Table {
  // every page of a chain has compatible rules, so one set of anchors (their union) serves all cells
  const merged = colAnchors([...prev.cells, ...next.cells], -1);
  const widen = (c: Cell, rowOffset: number): Cell => {
    const col = indexOf(merged, c.box.x0);
    return { ...c, row: c.row + rowOffset, col, colSpan: Math.max(1, indexOf(merged, c.box.x1) - col) };
  };
  // a header row repeated on the continuation page is dropped
  const repeated = firstRowTexts(next, 0) !== '' && firstRowTexts(next, 0) === firstRowTexts(prev, 0);
  const skip = repeated ? 1 : 0;
  const firstRow = prev.rows;
  const prevCells = prev.cells.map((c) => widen(c, 0));
  const nextCells: Cell[] = [];
  for (const c of next.cells.filter((x) => x.row >= skip).map((x) => widen(x, prev.rows - skip))) {
    // an empty cell under a row-spanning cell cut by the page break continues that cell (a group label)
    const i = c.row === firstRow && c.text === '' ? prevCells.findIndex((p) => continues(p, c, firstRow)) : -1;
    const above = prevCells[i];
    if (above) prevCells[i] = { ...above, rowSpan: above.rowSpan + c.rowSpan };
    else nextCells.push(c);
  }
  return {
    id: `${prev.id}+${next.id}`,
    pages: [...prev.pages, ...next.pages],
    rows: prev.rows + next.rows - skip,
    cols: merged.length - 1,
    cells: [...prevCells, ...nextCells],
    detection: prev.detection,
    confidence: Math.min(prev.confidence, next.confidence),
    box: prev.box,
  };
}

/**
 * Joins tables split by page breaks into logical tables: the bottom table of a page continues as the top table
 * of the next page when only margin text (page numbers, running heads) lies between them and their column
 * rules agree (one's anchors a subset of the other's, e.g. a header cut off above the sub-columns).
 * A repeated header row is dropped. Ids are joined with '+': `p2-t1+p3-t1`. Input order is kept.
 */
export function stitchTables(tables: readonly Table[], pages: readonly Page[]): Table[] {
  const byNumber = new Map(pages.map((p) => [p.number, p]));
  const out: Table[] = [];
  for (const table of tables) {
    const prev = out[out.length - 1];
    const first = table.pages[0] as number;
    if (prev && lastPage(prev) + 1 === first && prev.detection === table.detection) {
      const onPrevPage = out.filter((t) => lastPage(t) === lastPage(prev));
      const onNextPage = tables.filter((t) => t.pages[0] === first);
      const isBottom = onPrevPage[onPrevPage.length - 1] === prev;
      const isTop = onNextPage[0] === table;
      const a = colAnchors(prev.cells, lastPage(prev));
      const b = colAnchors(table.cells, first);
      if (
        isBottom &&
        isTop &&
        (fitsInto(a, b) || fitsInto(b, a)) &&
        clearToEdge(byNumber.get(lastPage(prev)), prev, lastPage(prev), true) &&
        clearToEdge(byNumber.get(first), table, first, false)
      ) {
        out[out.length - 1] = join(prev, table);
        continue;
      }
    }
    out.push(table);
  }
  return out;
}
