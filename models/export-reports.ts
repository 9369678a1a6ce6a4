import type { DocumentRecord } from './document.model.js';
import type { Models } from './models.js';
import type { ReportRecord } from './report.model.js';
import {
  REVIEW_DOCUMENT_FIELDS,
  snapshot,
  type ReviewDocument,
  type ReviewReport,
  type ReviewSnapshot,
} from './review-document.js';
import { failingChecks, readerChecks } from './stored-checks.js';

export interface ExportFilter {
  /** Document statuses to include; default done and needs_review (everything with a report). */
  readonly statuses?: readonly string[];
  readonly year?: number;
  /** Substring of the issuer (e.g. 洪泽区). */
  readonly issuer?: string;
  /** Substring of the region. */
  readonly region?: string;
  /** true: only documents with flagged cells; false: only those without. */
  readonly flagged?: boolean;
}

export type ExportDocument = ReviewDocument &
  Pick<DocumentRecord, 'error' | 'summary' | 'pipelineVersion' | 'kind' | 'mime' | 'size' | 'finishedAt'>;

/**
 * One exported document: the record, and its report as decided (null for a document without one,
 * e.g. failed). Read with `checks: 'failed'`, the report's checks and the snapshot's are its failing
 * ones only: all an export of cells and flags reads.
 */
export interface ExportItem {
  readonly document: ExportDocument;
  readonly report: ReviewSnapshot | null;
}

export interface ExportOptions {
  /** Also yield documents that have no report (failed). */
  readonly withoutReport?: boolean;
  /** 'failed': read only the failing checks (CSV, XLSX); 'all' (default): every check (JSONL). */
  readonly checks?: 'all' | 'failed';
}

export const DEFAULT_EXPORT_STATUSES: readonly string[] = ['done', 'needs_review'];

/**
 * Documents whose reports are read with one query: bounded memory (two batches are held: the one
 * being written and the next being read), one round trip per batch. With every check a report
 * decodes to about twice the objects, so half as many.
 */
const BATCH = { failed: 50, all: 25 } as const;
/**
 * What an export reads of a report, named so that fields added later (S3 facts, copy checks) are
 * not read by every export; `checks`, over half a report's bytes, only when every check is wanted.
 * Top-level fields only: the embedded server then cuts them from the stored bytes (project-raw.ts).
 */
const REPORT_FIELDS = {
  _id: 0,
  sha256: 1,
  pipelineVersion: 1,
  templateVersion: 1,
  template: 1,
  reportYear: 1,
  issuer: 1,
  metadata: 1,
  cells: 1,
  missing: 1,
  mappedTableIds: 1,
  unmappedTableIds: 1,
  flags: 1,
  flagCount: 1,
  corrections: 1,
  copyRole: 1,
  copyGroup: 1,
  failedChecks: 1,
  recheckStamp: 1,
} as const;

const DOCUMENT_FIELDS = {
  ...REVIEW_DOCUMENT_FIELDS,
  error: 1,
  summary: 1,
  pipelineVersion: 1,
  kind: 1,
  mime: 1,
  size: 1,
} as const;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function exportQuery(filter: ExportFilter): Record<string, unknown> {
  const query: Record<string, unknown> = { status: { $in: filter.statuses ?? DEFAULT_EXPORT_STATUSES } };
  if (filter.year !== undefined) query['metadata.reportYear'] = filter.year;
  if (filter.issuer !== undefined) query['metadata.issuer'] = { $regex: escapeRegex(filter.issuer) };
  if (filter.region !== undefined) query['metadata.region'] = { $regex: escapeRegex(filter.region) };
  if (filter.flagged === true) query['summary.flagged'] = { $gt: 0 };
  if (filter.flagged === false) query['summary.flagged'] = { $in: [0, null] };
  return query;
}

type StoredReport = ReviewReport & Pick<ReportRecord, 'failedChecks' | 'recheckStamp'>;

/** The reports of a batch of documents by sha256; with `failedOnly`, `failedChecks` filled in for reports saved before it. */
async function readReports(
  models: Models,
  docs: readonly ExportDocument[],
  failedOnly: boolean,
): Promise<Map<string, StoredReport>> {
  const shas = docs.map((d) => d.sha256);
  const fields = failedOnly ? REPORT_FIELDS : { ...REPORT_FIELDS, checks: 1 };
  const reports = await models.Report.find({ sha256: { $in: shas } }, fields)
    .lean<StoredReport[]>()
    .exec();
  const old = failedOnly ? reports.filter((r) => r.failedChecks === undefined) : [];
  if (old.length > 0) {
    const checks = await models.Report.find(
      { sha256: { $in: old.map((r) => r.sha256) } },
      { _id: 0, sha256: 1, checks: 1 },
    )
      .lean<Pick<ReportRecord, 'sha256' | 'checks'>[]>()
      .exec();
    const bySha = new Map(checks.map((r) => [r.sha256, r.checks]));
    for (const report of old) report.failedChecks = failingChecks(bySha.get(report.sha256) ?? []);
  }
  return new Map(reports.map((r) => [r.sha256, r]));
}

function toItem(document: ExportDocument, report: StoredReport, failedOnly: boolean): ExportItem {
  const stored = failedOnly ? (report.failedChecks ?? []) : report.checks;
  const given = readerChecks(report, stored, failedOnly);
  return {
    document,
    report: snapshot(document, failedOnly ? { ...report, checks: stored } : report, undefined, given),
  };
}

/**
 * Every document matching the filter with its report as a reader should see it (human decisions
 * applied and marked, checks on the decided values: review-document.ts, stored-checks.ts), in
 * sha256 order. Streamed: a cursor over documents, their reports read a batch at a time, the next
 * batch's while this one is turned into items (the server's work overlaps this process's), so an
 * archive of any size exports in bounded memory.
 */
export async function* exportReports(
  models: Models,
  filter: ExportFilter = {},
  opts: ExportOptions = {},
): AsyncGenerator<ExportItem> {
  const failedOnly = opts.checks === 'failed';
  const size = BATCH[failedOnly ? 'failed' : 'all'];
  const cursor = models.Document.find(exportQuery(filter), DOCUMENT_FIELDS)
    .sort({ sha256: 1 })
    .lean<ExportDocument[]>()
    .cursor({ batchSize: size });
  type Pending = { docs: ExportDocument[]; reports: Promise<Map<string, StoredReport>> };
  const start = (docs: ExportDocument[]): Pending => {
    const reports = readReports(models, docs, failedOnly);
    // Awaited later; a failure meanwhile must not count as unhandled.
    reports.catch(() => undefined);
    return { docs, reports };
  };
  const items = async function* ({ docs, reports }: Pending): AsyncGenerator<ExportItem> {
    const bySha = await reports;
    for (const document of docs) {
      const report = bySha.get(document.sha256);
      // A copy of a report another document holds is exported once, as that report (report-copies.ts).
      if (report?.copyRole === 'copy') continue;
      if (report) yield toItem(document, report, failedOnly);
      else if (opts.withoutReport) yield { document, report: null };
    }
  };
  let ahead: Pending | undefined;
  let batch: ExportDocument[] = [];
  for await (const doc of cursor as AsyncIterable<ExportDocument>) {
    batch.push(doc);
    if (batch.length < size) continue;
    const next = start(batch);
    batch = [];
    if (ahead) yield* items(ahead);
    ahead = next;
  }
  const last = batch.length > 0 ? start(batch) : undefined;
  if (ahead) yield* items(ahead);
  if (last) yield* items(last);
}

/** The decided metadata of a report (a person's correction of issuer, year, region or template wins). */
export function decidedMetadata(item: ExportItem): {
  issuer: string | null;
  year: number | null;
  region: string | null;
  template: string | null;
} {
  const meta = item.document.metadata;
  const decided = new Map(item.report?.metadata.map((m) => [m.field, m.decided.value]) ?? []);
  const text = (v: unknown, fallback: string | null | undefined): string | null =>
    typeof v === 'string' ? v : v === null ? null : (fallback ?? null);
  const year = decided.get('year');
  return {
    issuer: text(decided.get('issuer'), meta.issuer),
    year: typeof year === 'number' ? year : year === null ? null : (meta.reportYear ?? null),
    region: text(decided.get('region'), meta.region),
    template: text(decided.get('template'), meta.templateVersion),
  };
}
