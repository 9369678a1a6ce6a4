import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractDocument } from '../../core/index.js';
import { resolveIssuer } from '../../core/issuer/resolve-issuer.js';
import type { Document, Report, ReportCell } from '../../core/model/index.js';

export const DEV = join(import.meta.dirname, '../../../shared/corpus/dev');
export const REAL = join(import.meta.dirname, '../../../shared/corpus/real/gov_annual_reports');

const extracted = new Map<string, Promise<Document>>();

/** A born-digital file extracted once per test process by the real pipeline. */
export function extractOnce(path: string): Promise<Document> {
  let doc = extracted.get(path);
  if (!doc) {
    doc = readFile(path).then((bytes) => extractDocument({ bytes }));
    extracted.set(path, doc);
  }
  return doc;
}

export interface YearSpec {
  /** The extracted report this year is built from (its template and tables). */
  readonly base: Document;
  readonly year: number;
  /** The issuer as this year's title prints it (name variants of one issuer). */
  readonly issuer: string;
  /** Cells set to a value (the links between years). */
  readonly set?: Readonly<Record<string, number>>;
  /** Distinguishes two builds of one year (a reprint, a restated copy). */
  readonly variant?: string;
}

/**
 * One year of one issuer's timeline: a real extraction (its template, tables and checks) with the
 * title's issuer and year of this year and the linked cells set, under its own content hash.
 */
export function buildYear(spec: YearSpec): Document {
  const report = spec.base.report as Report;
  const cells: Record<string, ReportCell> = { ...report.cells };
  for (const [key, value] of Object.entries(spec.set ?? {})) {
    const cell = cells[key];
    if (!cell) throw new Error(`no cell ${key} in the base report`);
    cells[key] = { ...cell, value, raw: String(value), reason: undefined } as ReportCell;
  }
  const sha256 = createHash('sha256')
    .update(`${spec.base.sha256}:${spec.year}:${spec.issuer}:${spec.variant ?? ''}:${JSON.stringify(spec.set ?? {})}`)
    .digest('hex');
  return {
    ...spec.base,
    sha256,
    report: {
      ...report,
      cells,
      metadata: {
        ...report.metadata,
        reportYear: spec.year,
        issuer: spec.issuer,
        issuerMatch: resolveIssuer(spec.issuer),
      },
    },
  };
}
