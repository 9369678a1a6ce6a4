import type { DocumentRecord } from './document.model.js';
import type { Models } from './models.js';
import {
  REVIEW_DOCUMENT_FIELDS,
  snapshot,
  type ReviewDocument,
  type ReviewReport,
  type ReviewSnapshot,
} from './review-document.js';

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

/** One exported document: the record, and its report as decided (null for a document without one, e.g. failed). */
export interface ExportItem {
  readonly document: ExportDocument;
  readonly report: ReviewSnapshot | null;
}

export const DEFAULT_EXPORT_STATUSES: readonly string[] = ['done', 'needs_review'];

/** Documents whose reports are read with one query: bounded memory (a report decodes to ~1 MB of objects), one round trip per batch. */
const BATCH = 50;
/**
 * Sections are not read. Stored checks are (over half a report's bytes): the snapshot re-runs the
 * core's checks on the decided values, but the cross-report S3 results exist only as stored.
 */
const REPORT_FIELDS = { _id: 0, __v: 0, sections: 0 } as const;

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

/**
 * Every document matching the filter with its report as a reader should see it (human decisions
 * applied and marked, checks re-run on the decided values: review-document.ts), in sha256 order.
 * Streamed: a cursor over documents, their reports read a batch at a time, so an archive of any
 * size exports in bounded memory. `withoutReport` also yields documents that have none (failed).
 */
export async function* exportReports(
  models: Models,
  filter: ExportFilter = {},
  opts: { withoutReport?: boolean } = {},
): AsyncGenerator<ExportItem> {
  const cursor = models.Document.find(exportQuery(filter), DOCUMENT_FIELDS)
    .sort({ sha256: 1 })
    .lean<ExportDocument[]>()
    .cursor();
  let batch: ExportDocument[] = [];
  const flush = async function* (docs: readonly ExportDocument[]): AsyncGenerator<ExportItem> {
    const reports = await models.Report.find({ sha256: { $in: docs.map((d) => d.sha256) } }, REPORT_FIELDS)
      .lean<ReviewReport[]>()
      .exec();
    const bySha = new Map(reports.map((r) => [r.sha256, r]));
    for (const document of docs) {
      const report = bySha.get(document.sha256);
      // A copy of a report another document holds is exported once, as that report (report-copies.ts).
      if (report?.copyRole === 'copy') continue;
      if (report) yield { document, report: snapshot(document, report) };
      else if (opts.withoutReport) yield { document, report: null };
    }
  };
  for await (const doc of cursor as AsyncIterable<ExportDocument>) {
    batch.push(doc);
    if (batch.length >= BATCH) {
      yield* flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield* flush(batch);
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
