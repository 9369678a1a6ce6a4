import type { Cell, Page, Table } from '../../core/model/index.js';

/** Grid cell size used to give built cells plausible boxes (points). */
const CELL_W = 40;
const CELL_H = 20;

export interface CellSpec {
  readonly text: string;
  readonly rowSpan?: number;
  readonly colSpan?: number;
  readonly vertical?: boolean;
}

export interface TableOptions {
  readonly id?: string;
  readonly page?: number;
  readonly confidence?: number;
  readonly origin?: Cell['origin'];
}

/**
 * Builds a Table from rows of cell specs laid out like HTML: each row lists only the cells that
 * start in it, positions covered by an earlier rowspan are skipped automatically.
 */
export function buildTable(rows: readonly (readonly (string | CellSpec)[])[], options: TableOptions = {}): Table {
  const page = options.page ?? 1;
  const cells: Cell[] = [];
  const covered = new Set<string>();
  let cols = 0;
  rows.forEach((row, r) => {
    let c = 0;
    for (const item of row) {
      const spec: CellSpec = typeof item === 'string' ? { text: item } : item;
      while (covered.has(`${r},${c}`)) c++;
      const rowSpan = spec.rowSpan ?? 1;
      const colSpan = spec.colSpan ?? 1;
      for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) covered.add(`${r + dr},${c + dc}`);
      cells.push({
        row: r,
        col: c,
        rowSpan,
        colSpan,
        page,
        box: { x0: c * CELL_W, y0: r * CELL_H, x1: (c + colSpan) * CELL_W, y1: (r + rowSpan) * CELL_H },
        text: spec.text,
        origin: options.origin ?? 'text-layer',
        confidence: options.confidence ?? 1,
        shaded: false,
        vertical: spec.vertical ?? false,
      });
      c += colSpan;
      cols = Math.max(cols, c);
    }
  });
  return {
    id: options.id ?? `p${page}-t1`,
    pages: [page],
    rows: rows.length,
    cols,
    cells,
    detection: 'ruled',
    confidence: 1,
    box: { x0: 0, y0: 0, x1: cols * CELL_W, y1: rows.length * CELL_H },
  };
}

function decode(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .trim();
}

/** Every <table> of an HTML document as a Table (rowspan/colspan honoured), in document order. */
export function tablesFromHtml(html: string): Table[] {
  const tables: Table[] = [];
  for (const [i, m] of [...html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)].entries()) {
    const rows = [...(m[1] ?? '').matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) =>
      [...(tr[1] ?? '').matchAll(/<t[dh]([^>]*)>([\s\S]*?)<\/t[dh]>/g)].map((td) => {
        const attrs = td[1] ?? '';
        const rowSpan = Number(/rowspan=["']?(\d+)/.exec(attrs)?.[1] ?? 1);
        const colSpan = Number(/colspan=["']?(\d+)/.exec(attrs)?.[1] ?? 1);
        const inner = td[2] ?? '';
        return { text: decode(inner.replace(/<br\s*\/?>/g, '\n')), rowSpan, colSpan, vertical: /class=v/.test(inner) };
      }),
    );
    tables.push(buildTable(rows, { id: `t${i + 1}` }));
  }
  return tables;
}

/** A text-layer page holding the given text (lines split on \n). */
export function buildPage(text: string, number = 1, tableIds: readonly string[] = []): Page {
  const lines = text.split('\n').map((line, i) => ({
    box: { x0: 0, y0: i * 14, x1: 500, y1: i * 14 + 12 },
    text: line,
    origin: 'text-layer' as const,
    confidence: 1,
  }));
  return {
    number,
    size: { width: 595, height: 842 },
    rotation: 0,
    method: 'text-layer',
    textLayer: { usable: true, reason: 'ok' },
    lines,
    blocks: [],
    text,
    ocrConfidence: null,
    image: null,
    tableIds,
  };
}

/** The non-table text of an HTML document, one block element per line. */
export function textFromHtml(html: string): string {
  const body = html.replace(/<table[\s\S]*?<\/table>/g, '\n').replace(/<(style|script|head)[\s\S]*?<\/\1>/g, '');
  return body
    .split(/<\/(?:p|h\d|div|li|title)>|<br\s*\/?>/)
    .map(decode)
    .filter((l) => l !== '')
    .join('\n');
}
