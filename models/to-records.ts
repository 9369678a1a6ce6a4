import type { Document, Page, Problem, Table } from '../core/model/index.js';
import {
  MAX_STORED_PROBLEMS,
  type DocumentRecord,
  type StoredDocumentStatus,
  type StoredError,
} from './document.model.js';
import type { PageRecord } from './page.model.js';
import { MAX_STORED_FLAGS, type ReportRecord } from './report.model.js';
import { failingChecks, recheckStamp } from './stored-checks.js';
import type { TableRecord } from './table.model.js';

/** Where the document came from and which run processed it (not part of the extraction itself). */
export interface SaveContext {
  readonly source?: {
    readonly path?: string;
    readonly url?: string;
    readonly crawlId?: string;
    readonly original?: string;
  };
  readonly runId?: string;
  readonly attempts?: number;
  /**
   * No earlier pass ever wrote records for this sha256 (see markProcessing): there are no stale
   * pages, tables or report values to remove, so those deletes are skipped. Leave unset when unsure.
   */
  readonly firstPass?: boolean;
  /** When this pass began, for a pass that wrote no processing mark (which sets it). */
  readonly startedAt?: Date;
}

const STATUS: Record<Document['status'], StoredDocumentStatus> = {
  ok: 'done',
  needs_review: 'needs_review',
  failed: 'failed',
};

function toStoredError(problem: Problem): StoredError {
  return {
    code: problem.code,
    message: problem.message,
    stage: problem.stage,
    ...(problem.page !== undefined ? { page: problem.page } : {}),
  };
}

/** JSON round-trip: drops `undefined` and readonly-ness so Mongo stores exactly what a replay would store. */
export function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The fields of the Document record an extraction determines (status, error, summary …). */
export function toDocumentFields(
  doc: Document,
  context: SaveContext,
): Omit<DocumentRecord, 'sha256' | 'queuedAt' | 'startedAt' | 'createdAt' | 'updatedAt'> {
  const metadata = doc.report?.metadata;
  return {
    source: toPlain(context.source ?? {}),
    size: doc.size,
    kind: doc.kind,
    mime: doc.mime,
    pageCount: doc.pages.length,
    status: STATUS[doc.status],
    error: doc.error ? toStoredError(doc.error) : null,
    problems: doc.problems.slice(0, MAX_STORED_PROBLEMS).map(toStoredError),
    problemCount: doc.problems.length,
    pipelineVersion: doc.pipelineVersion,
    timings: toPlain(doc.timings) as Record<string, number>,
    attempts: context.attempts ?? 1,
    ...(context.runId !== undefined ? { runId: context.runId } : {}),
    metadata: {
      templateVersion: doc.report?.template.version ?? null,
      reportYear: metadata?.reportYear ?? null,
      issuer: metadata?.issuer ?? null,
      issuerFull: metadata?.issuerFull ?? null,
      region: null,
    },
    summary: toPlain(doc.summary),
    flagKinds: [...new Set(doc.flags.map((f) => f.kind))].sort(),
    // Decisions survive reprocessing; the next one recounts exactly (review-document.ts).
    flagsLeft: doc.summary.flagged,
  };
}

export function toPageRecord(sha256: string, pipelineVersion: string, page: Page): PageRecord {
  return {
    sha256,
    number: page.number,
    pipelineVersion,
    method: page.method,
    size: toPlain(page.size),
    rotation: page.rotation,
    orientation: page.orientation ? toPlain(page.orientation) : null,
    textLayer: toPlain(page.textLayer),
    text: page.text,
    blocks: toPlain(page.blocks) as unknown[],
    ocrConfidence: page.ocrConfidence,
    image: page.image ? toPlain(page.image) : null,
    tableIds: [...page.tableIds],
  };
}

export function toTableRecord(sha256: string, pipelineVersion: string, table: Table): TableRecord {
  return {
    sha256,
    tableId: table.id,
    pipelineVersion,
    pages: [...table.pages],
    rows: table.rows,
    cols: table.cols,
    detection: table.detection,
    confidence: table.confidence,
    box: toPlain(table.box),
    cells: toPlain(table.cells) as TableRecord['cells'],
  };
}

/** The report fields an extraction writes; `corrections` is deliberately absent (humans own it). */
export function toReportFields(doc: Document): Omit<ReportRecord, 'corrections'> | null {
  const report = doc.report;
  if (!report) return null;
  const cells = Object.values(report.cells)
    .map((cell) => toPlain(cell) as ReportRecord['cells'][number])
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const metadata = toPlain(report.metadata) as unknown as Record<string, unknown>;
  const checks = toPlain(report.checks) as unknown[];
  return {
    sha256: doc.sha256,
    pipelineVersion: doc.pipelineVersion,
    templateVersion: report.template.version,
    template: {
      version: report.template.version,
      evidence: [...report.template.evidence],
      conflict: report.template.conflict,
    },
    reportYear: report.metadata.reportYear,
    issuer: report.metadata.issuer,
    metadata,
    sections: toPlain(report.sections) as unknown[],
    cells,
    missing: [...report.missing],
    mappedTableIds: toPlain(report.mappedTableIds) as unknown as Record<string, string[]>,
    unmappedTableIds: [...report.unmappedTableIds],
    checks,
    failedChecks: failingChecks(checks),
    recheckStamp: recheckStamp({ cells, templateVersion: report.template.version, metadata, checks }),
    flags: toPlain(doc.flags.slice(0, MAX_STORED_FLAGS)) as unknown[],
    flagCount: doc.flags.length,
  };
}
