/**
 * Synthetic annual reports for the scan matrix, built like the dev corpus: each one takes the layout
 * (HTML, labels, page breaks, blank style, number formats) of one clean dev synth report and fills its
 * 表三 and 表四 with new numbers. The numbers are columns of real-looking dev reports of the same
 * template version, recombined: every 表三 applicant column comes whole from some report (so H2 and H4
 * hold in it), the 总计 column is their sum (H3), every 表四 group (parts + total) comes whole from some
 * report (H5–H7). The narrative's 收到/上年结转/办结/继续办理 figures follow the new totals (S4).
 * 表二 keeps the layout report's own values (it has no sums to keep).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { T3_COLUMNS } from '../../core/report/schema.js';
import { rng } from '../fax-pdf.js';

type Value = number | null;
type Row = Record<string, Value>;
export interface Truth {
  template: string;
  expected: {
    template_version: string;
    applications: Record<string, Row>;
    review_litigation: Record<string, Value>;
    failing_rules?: string[];
    [k: string]: unknown;
  };
  injected_errors?: unknown[];
  [k: string]: unknown;
}

/** One printed number cell of the layout: where its inner text sits in the HTML. */
interface Slot {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface Layout {
  readonly name: string;
  readonly html: string;
  readonly gt: Truth;
  /** 表三 rows in schema order, each with its 7 number slots (T3_COLUMNS order). */
  readonly t3: readonly { key: string; slots: Slot[] }[];
  /** 表四's 15 number slots in key order. */
  readonly t4: readonly Slot[];
}

const NUMERIC = /^[\d０-９+＋\-−.,，．]*$|^(—|－|-|\/|无)$/;
const FULL = '０１２３４５６７８９';

function plain(inner: string): string {
  return inner.replace(/<[^>]+>/g, '').trim();
}

/** The printed text as a number (full-width digits folded), null for a blank. */
function parse(text: string): Value {
  const t = text.replace(/[０-９]/g, (d) => String(FULL.indexOf(d))).replace(/[,，+＋]/g, '');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : null;
}

/** Rows of number cells in document order: each `<tr>`'s trailing cells whose text is a number or blank. */
function numberRows(html: string): Slot[][] {
  const rows: Slot[][] = [];
  for (const tr of html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
    const base = tr.index + tr[0].indexOf(tr[1]!);
    const cells = [...tr[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => {
      const start = base + td.index + td[0].indexOf('>') + 1;
      return { start, end: start + td[1]!.length, text: plain(td[1]!) };
    });
    let n = 0;
    while (n < cells.length && NUMERIC.test(cells[cells.length - 1 - n]!.text)) n++;
    rows.push(cells.slice(cells.length - n));
  }
  return rows;
}

/** Reads one dev report as a layout; throws when its printed numbers do not line up with its truth. */
export function readLayout(dir: string): Layout {
  const html = readFileSync(join(dir, 'doc.html'), 'utf8');
  const gt = JSON.parse(readFileSync(join(dir, 'gt.json'), 'utf8')) as Truth;
  const keys = Object.keys(gt.expected.applications);
  const rows = numberRows(html);
  const t3Rows = rows.filter((r) => r.length >= 7 && r.length < 15).map((r) => r.slice(-7));
  const t4 = rows.find((r) => r.length >= 15)?.slice(-15);
  const name = dir.split('/').pop()!;
  if (t3Rows.length !== keys.length || !t4)
    throw new Error(`${name}: ${t3Rows.length} 表三 rows for ${keys.length} keys`);
  const t3 = keys.map((key, i) => ({ key, slots: t3Rows[i]! }));
  for (const { key, slots } of t3)
    T3_COLUMNS.forEach((c, j) => {
      if (parse(slots[j]!.text) !== gt.expected.applications[key]![c])
        throw new Error(`${name}: ${key}.${c} printed ${slots[j]!.text}`);
    });
  Object.entries(gt.expected.review_litigation).forEach(([k, v], j) => {
    if (parse(t4[j]!.text) !== v) throw new Error(`${name}: ${k} printed ${t4[j]!.text}`);
  });
  return { name, html, gt, t3, t4 };
}

/** The clean dev synth reports (no injected error) as layouts. */
export function devLayouts(corpus: string): Layout[] {
  return readdirSync(corpus)
    .filter((d) => d.startsWith('synth-'))
    .sort()
    .map((d) => join(corpus, d))
    .filter((d) => {
      const gt = JSON.parse(readFileSync(join(d, 'gt.json'), 'utf8')) as Truth;
      return (gt.injected_errors ?? []).length === 0 && (gt.expected.failing_rules ?? []).length === 0;
    })
    .map(readLayout);
}

/** Prints v as the layout printed the cell it replaces: blank where it printed blank and v is 0, full-width digits where it used them. */
function format(v: number, old: Slot): { text: string; value: Value } {
  if (v === 0 && parse(old.text) === null) return { text: old.text, value: null };
  const s = String(v);
  return { text: /[０-９]/.test(old.text) ? s.replace(/\d/g, (d) => FULL[Number(d)]!) : s, value: v };
}

export interface Composed {
  readonly html: string;
  readonly gt: Truth;
}

/** A new report on `layout` with 表三/表四 numbers recombined from `sources` (same template version), seeded. */
export function composeReport(layout: Layout, sources: readonly Layout[], seed: number): Composed {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const same = sources.filter((s) => s.gt.expected.template_version === layout.gt.expected.template_version);
  const edits: { slot: Slot; text: string }[] = [];
  const applications: Record<string, Row> = {};
  const columns = T3_COLUMNS.slice(0, 6).map(() => {
    const src = pick(same);
    const col = pick(T3_COLUMNS.slice(0, 6));
    return layout.t3.map(({ key }) => src.gt.expected.applications[key]![col] ?? 0);
  });
  layout.t3.forEach(({ key, slots }, i) => {
    const values = columns.map((c) => c[i]!);
    values.push(values.reduce((a, b) => a + b, 0));
    applications[key] = {};
    T3_COLUMNS.forEach((c, j) => {
      const f = format(values[j]!, slots[j]!);
      applications[key]![c] = f.value;
      edits.push({ slot: slots[j]!, text: f.text });
    });
  });
  const t4Keys = Object.keys(layout.gt.expected.review_litigation);
  const review: Record<string, Value> = {};
  for (let g = 0; g < 3; g++) {
    const src = Object.values(pick(same).gt.expected.review_litigation);
    const from = pick([0, 1, 2]);
    for (let j = 0; j < 5; j++) {
      const f = format(src[from * 5 + j] ?? 0, layout.t4[g * 5 + j]!);
      review[t4Keys[g * 5 + j]!] = f.value;
      edits.push({ slot: layout.t4[g * 5 + j]!, text: f.text });
    }
  }
  let html = layout.html;
  for (const { slot, text } of edits.sort((a, b) => b.slot.start - a.slot.start))
    html = html.slice(0, slot.start) + html.slice(slot.start, slot.end).replace(slot.text, text) + html.slice(slot.end);
  const total = (key: string): number => applications[key]?.total ?? 0;
  html = html
    .replace(/(收到政府信息公开申请\s*)\d+/g, (_, p: string) => p + total('new_received'))
    .replace(/(上年结转\s*)\d+(\s*件)/g, (_, p: string, s: string) => p + total('carried_over') + s)
    .replace(/(办结\s*)\d+(\s*件)/g, (_, p: string, s: string) => p + total('total_processed') + s)
    .replace(/(继续办理\s*)\d+(\s*件)/g, (_, p: string, s: string) => p + total('carried_forward') + s);
  const gt: Truth = {
    ...layout.gt,
    expected: { ...layout.gt.expected, applications, review_litigation: review, failing_rules: [] },
    layout_of: layout.name,
  };
  delete gt.layout;
  return { html, gt };
}

/**
 * The layout's own report with chosen 表三 cells printed blank (gt null): the style of reports that
 * leave "none" and the 总计 of detail rows unprinted (domain.md §7.3, Shanghai 2019).
 */
export function blankCells(layout: Layout, blank: (row: string, column: string, value: Value) => boolean): Composed {
  const applications: Record<string, Row> = {};
  let html = layout.html;
  const edits: Slot[] = [];
  for (const { key, slots } of layout.t3) {
    applications[key] = { ...layout.gt.expected.applications[key] };
    T3_COLUMNS.forEach((c, j) => {
      if (!blank(key, c, applications[key]![c] ?? null)) return;
      applications[key]![c] = null;
      edits.push(slots[j]!);
    });
  }
  for (const slot of edits.sort((a, b) => b.start - a.start))
    html = html.slice(0, slot.start) + html.slice(slot.start, slot.end).replace(slot.text, '') + html.slice(slot.end);
  return { html, gt: { ...layout.gt, expected: { ...layout.gt.expected, applications } } };
}
