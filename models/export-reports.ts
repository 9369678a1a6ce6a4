import type { Models } from './models.js';
import { cellsWithProvenance, type Provenance } from './cell-provenance.js';
import type { ReportRecord } from './report.model.js';

export interface ExportFilter {
  /** Document statuses to include; default done and needs_review (everything with a report). */
  readonly statuses?: readonly string[];
  readonly year?: number;
  /** Substring of the issuer (e.g. 洪泽区). */
  readonly issuer?: string;
}

/** One cell as exported: the value a reader should use, with what stands behind it. */
export interface ExportCell {
  readonly key: string;
  readonly value: number | null;
  /** What the extractor read, when a person changed it. */
  readonly extracted?: number | null;
  readonly confidence: number;
  /** Empty when the value can be trusted: extracted clean, or decided by a person. */
  readonly flags: readonly string[];
  readonly reviewedBy?: string;
  /** extracted / corrected (by, at, old) / confirmed / printed-inconsistent: see cell-provenance.ts. */
  readonly provenance: Provenance;
  readonly unit?: string;
  readonly page?: number;
}

export interface ExportedReport {
  readonly sha256: string;
  readonly path?: string;
  readonly url?: string;
  readonly status: string;
  readonly templateVersion: string | null;
  readonly reportYear: number | null;
  readonly issuer: string | null;
  readonly pipelineVersion: string;
  readonly cells: readonly ExportCell[];
  readonly failedChecks: readonly string[];
}

const DEFAULT_STATUSES = ['done', 'needs_review'];

function exportCells(report: Pick<ReportRecord, 'cells' | 'corrections'>): ExportCell[] {
  const decided = cellsWithProvenance(report);
  return report.cells.flatMap((c, i) => {
    const d = decided[i];
    if (c.reason === 'missing' || !d) return [];
    const base = {
      key: c.key,
      confidence: c.confidence,
      provenance: d.provenance,
      ...(c.unit ? { unit: c.unit } : {}),
      ...(c.source ? { page: c.source.page } : {}),
    };
    // A person's decision replaces the reading and settles its flags.
    return d.provenance.kind !== 'extracted'
      ? [{ ...base, value: numberOrNull(d.value), extracted: c.value, flags: [], reviewedBy: d.provenance.by ?? '' }]
      : [{ ...base, value: c.value, flags: c.flags }];
  });
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** Documents whose reports are read with one query: bounded memory, one round trip per batch. */
const BATCH = 200;

/**
 * Every extracted report matching the filter, with human corrections applied, in sha256 order and
 * streamed (a cursor over documents, their reports read a batch at a time) so an archive of any size
 * exports in bounded memory.
 */
export async function* exportReports(models: Models, filter: ExportFilter = {}): AsyncGenerator<ExportedReport> {
  const query: Record<string, unknown> = { status: { $in: filter.statuses ?? DEFAULT_STATUSES } };
  if (filter.year !== undefined) query['metadata.reportYear'] = filter.year;
  if (filter.issuer !== undefined)
    query['metadata.issuer'] = { $regex: filter.issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') };
  const cursor = models.Document.find(query, { sha256: 1, source: 1, status: 1 }).sort({ sha256: 1 }).lean().cursor();
  type Doc = { sha256: string; source: { path?: string; url?: string }; status: string };
  let batch: Doc[] = [];
  const flush = async function* (docs: readonly Doc[]): AsyncGenerator<ExportedReport> {
    const reports = await models.Report.find(
      { sha256: { $in: docs.map((d) => d.sha256) } },
      {
        sha256: 1,
        templateVersion: 1,
        reportYear: 1,
        issuer: 1,
        pipelineVersion: 1,
        cells: 1,
        corrections: 1,
        checks: 1,
      },
    ).lean();
    const bySha = new Map(reports.map((r) => [r.sha256, r]));
    for (const doc of docs) {
      const report = bySha.get(doc.sha256);
      if (!report) continue;
      yield {
        sha256: doc.sha256,
        ...(doc.source.path !== undefined ? { path: doc.source.path } : {}),
        ...(doc.source.url !== undefined ? { url: doc.source.url } : {}),
        status: doc.status,
        templateVersion: report.templateVersion,
        reportYear: report.reportYear,
        issuer: report.issuer,
        pipelineVersion: report.pipelineVersion,
        cells: exportCells(report),
        failedChecks: (report.checks as { rule?: string; scope?: string; status?: string }[])
          .filter((c) => c.status === 'fail')
          .map((c) => `${c.rule ?? '?'} ${c.scope ?? ''}`.trim()),
      };
    }
  };
  for await (const doc of cursor) {
    batch.push(doc);
    if (batch.length >= BATCH) {
      yield* flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield* flush(batch);
}
