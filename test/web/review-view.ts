import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The parts of `GET /documents/:sha256/review` (docs/review-api.md) the browser tests reason about. */
interface Field {
  readonly key?: string;
  readonly value: number | string | null;
  readonly state: string;
  readonly suggestion?: number;
  readonly suggestionWith?: readonly { key: string; value: number }[];
  readonly provenance: { kind: string; by?: string };
}
interface Check {
  readonly rule: string;
  readonly hard: boolean;
  readonly status: string;
  readonly cells: readonly string[];
  readonly explained?: boolean;
}
interface RawView {
  readonly status: string;
  readonly source: { path?: string };
  readonly flagsLeft: number;
  readonly canClose: boolean;
  readonly reviewClosed: { by: string } | null;
  readonly metadata: Record<string, Field>;
  readonly tables: readonly {
    rows: readonly { cells: readonly (string | null)[] }[];
    cells: Record<string, Field>;
  }[];
  readonly checks: readonly Check[];
}

const METADATA_ORDER = ['issuer', 'year', 'region', 'template'];

/** The document view as the API serves it (read with the reviewer's token), with the questions the tests ask of it. */
export async function reviewView(url: string, sha256: string, token: string): Promise<ReviewView> {
  const res = await fetch(`${url}/documents/${sha256}/review`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET review ${res.status}: ${await res.text()}`);
  const raw = (await res.json()) as RawView;
  return new ReviewView(raw, await readExpected(raw.source.path));
}

/** The corpus's ground truth beside the scanned file (`gt.json` `expected`), when there is one. */
async function readExpected(path: string | undefined): Promise<Record<string, unknown> | null> {
  if (!path) return null;
  const text = await readFile(join(dirname(path), 'gt.json'), 'utf8').catch(() => null);
  return text === null ? null : ((JSON.parse(text) as { expected?: Record<string, unknown> }).expected ?? null);
}

export class ReviewView {
  /** Metadata fields, then each table's cells row by row: the page's review order. */
  private readonly order: { key: string; field: Field }[];

  constructor(
    readonly raw: RawView,
    private readonly expected: Record<string, unknown> | null,
  ) {
    this.order = [
      ...METADATA_ORDER.filter((k) => raw.metadata[k]).map((k) => ({ key: `metadata.${k}`, field: raw.metadata[k]! })),
      ...raw.tables.flatMap((t) =>
        t.rows.flatMap((r) => r.cells.flatMap((k) => (k && t.cells[k] ? [{ key: k, field: t.cells[k] }] : []))),
      ),
    ];
  }

  get status(): string {
    return this.raw.status;
  }
  /** The extraction the view was made from: the review page names it in crop URLs. */
  get extraction(): string {
    return (this.raw as unknown as { extraction: string }).extraction;
  }
  get flagsLeft(): number {
    return this.raw.flagsLeft;
  }
  get canClose(): boolean {
    return this.raw.canClose;
  }

  cell(key: string): Field {
    const found = this.order.find((i) => i.key === key);
    if (!found) throw new Error(`no cell ${key} in the view`);
    return found.field;
  }

  isOpen(key: string): boolean {
    return this.cell(key).state === 'flagged';
  }

  private get unexplained(): Check[] {
    return this.raw.checks.filter((c) => c.hard && c.status === 'fail' && !c.explained);
  }

  get failingHardRules(): number {
    return this.unexplained.length;
  }

  inFailingRule(key: string): boolean {
    return this.unexplained.some((c) => c.cells.includes(key));
  }

  get firstFlaggedCell(): string {
    const first = this.order.find((i) => !i.key.startsWith('metadata.') && i.field.state === 'flagged');
    if (!first) throw new Error('the document has no flagged cell');
    return first.key;
  }

  nextOpenKey(): string | null {
    return this.order.find((i) => i.field.state === 'flagged')?.key ?? null;
  }

  unexplainedRuleCell(): string {
    const key = this.unexplained[0]?.cells[0];
    if (!key) throw new Error('no failing hard rule');
    return key;
  }

  /** The printed value of a report key from the corpus's ground truth (undefined when unknown). */
  truth(key: string): number | null | undefined {
    let at: unknown = this.expected;
    for (const part of key.split('.'))
      at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
    return typeof at === 'number' || at === null ? at : undefined;
  }

  /** The issuer as printed (the corpus's ground truth), when known. */
  get printedIssuer(): string | undefined {
    const issuer = this.expected?.['issuer'];
    return typeof issuer === 'string' ? issuer : undefined;
  }

  /**
   * What a careful reviewer types for a flagged cell: a misread cell's printed value (the check it broke
   * then holds), else the printed value of a flagged cell outside any failing rule (a low-confidence read).
   */
  cellToCorrect(): { key: string; value: number; read: Field['value'] } {
    const open = this.order.filter((i) => !i.key.startsWith('metadata.') && i.field.state === 'flagged');
    const misread = open.find((i) => typeof this.truth(i.key) === 'number' && this.truth(i.key) !== i.field.value);
    const lone = open.find((i) => !this.inFailingRule(i.key) && typeof this.truth(i.key) === 'number');
    const pick = misread ?? lone;
    if (!pick) throw new Error('no flagged cell with a known printed value');
    return { key: pick.key, value: this.truth(pick.key) as number, read: pick.field.value };
  }

  /** An open flagged cell that sits in a hard rule that holds: a wild value there must be refused. */
  cellInHoldingRule(): { key: string; value: number | null } {
    const holding = new Set(this.raw.checks.filter((c) => c.hard && c.status === 'pass').flatMap((c) => c.cells));
    const pick = this.order.find(
      (i) => !i.key.startsWith('metadata.') && i.field.state === 'flagged' && holding.has(i.key),
    );
    if (!pick) throw new Error('no open flagged cell inside a hard rule that holds');
    return { key: pick.key, value: typeof pick.field.value === 'number' ? pick.field.value : null };
  }
}
