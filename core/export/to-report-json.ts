import type { Check, Document, Flag, Report, ReportCell, ReportSection } from '../model/index.js';

/** One cell as the scorer reads it (report-json.md), plus where it came from. */
export interface CellJson {
  readonly value: number | null;
  readonly confidence: number;
  readonly flags: readonly string[];
  readonly raw: string | null;
  readonly reason?: string;
  readonly unit?: string;
  readonly suggestion?: number;
  /** A total printed blank, derived from its parts. */
  readonly derived?: number;
  readonly source?: { readonly table: string; readonly page: number; readonly row: number; readonly col: number };
}

export interface CheckJson {
  readonly rule: string;
  /** null when the rule was skipped (inputs missing). */
  readonly passed: boolean | null;
  readonly status: Check['status'];
  readonly hard: boolean;
  readonly scope: string;
  readonly message: string;
  readonly keys: readonly string[];
  readonly expected: number | null;
  readonly actual: number | null;
  readonly culprit?: string;
  readonly suggestion?: number;
  /** The whole explanation when it takes two values. */
  readonly culprits?: readonly { key: string; value: number }[];
  readonly trivial?: boolean;
}

type Nested = { [key: string]: CellJson | Nested };

export interface ReportJson {
  readonly status: 'ok' | 'failed';
  readonly review_status: Document['status'];
  readonly error?: { readonly code: string; readonly message: string; readonly stage: string; readonly page?: number };
  readonly report: Record<string, unknown> | null;
  readonly document: Record<string, unknown>;
  readonly flags: readonly Flag[];
}

function cellJson(cell: ReportCell): CellJson {
  return {
    value: cell.value,
    confidence: cell.confidence,
    flags: cell.flags,
    raw: cell.raw,
    ...(cell.reason && cell.reason !== 'missing' ? { reason: cell.reason } : {}),
    ...(cell.unit ? { unit: cell.unit } : {}),
    ...(cell.suggestion !== undefined ? { suggestion: cell.suggestion } : {}),
    ...(cell.derived !== undefined ? { derived: cell.derived } : {}),
    ...(cell.source
      ? { source: { table: cell.source.tableId, page: cell.source.page, row: cell.source.row, col: cell.source.col } }
      : {}),
  };
}

/** Cells of one standard table nested by key path; keys the document lacks are left out (see `missing`). */
function nest(report: Report, section: ReportSection): Nested {
  const root: Nested = {};
  for (const cell of Object.values(report.cells)) {
    if (cell.reason === 'missing' || !cell.key.startsWith(`${section}.`)) continue;
    const path = cell.key.split('.').slice(1);
    let node = root;
    path.slice(0, -1).forEach((part) => {
      const next = node[part];
      node = next && !('confidence' in next) ? (next as Nested) : (node[part] = {});
    });
    const leaf = path[path.length - 1];
    if (leaf !== undefined) node[leaf] = cellJson(cell);
  }
  return root;
}

/** A check as report-json.md writes it (also the database exports' form of a re-run check). */
export function checkJson(c: Check): CheckJson {
  return {
    rule: c.rule,
    passed: c.status === 'skipped' ? null : c.status === 'pass',
    status: c.status,
    hard: c.hard,
    scope: c.scope,
    message: c.message,
    keys: c.keys,
    expected: c.expected,
    actual: c.actual,
    ...(c.culprit !== undefined ? { culprit: c.culprit } : {}),
    ...(c.suggestion !== undefined ? { suggestion: c.suggestion } : {}),
    ...(c.culprits && c.culprits.length > 1 ? { culprits: c.culprits } : {}),
    ...(c.trivial ? { trivial: true } : {}),
  };
}

function reportJson(report: Report): Record<string, unknown> {
  const m = report.metadata;
  return {
    template_version: report.template.version,
    report_year: m.reportYear,
    issuer: m.issuer,
    active_disclosure: nest(report, 'active_disclosure'),
    applications: nest(report, 'applications'),
    review_litigation: nest(report, 'review_litigation'),
    checks: report.checks.map(checkJson),
    template: {
      version: report.template.version,
      evidence: report.template.evidence,
      conflict: report.template.conflict,
    },
    metadata: {
      issuer_full: m.issuerFull,
      stat_period: m.statPeriod,
      publication_date: m.publicationDate,
      contact: m.contact,
      format_notice_cited: m.formatNoticeCited,
      proactive_total: m.proactiveTotal,
      proactive_by_channel: m.proactiveByChannel,
      applications_received_text: m.applicationsReceivedText,
      no_review_litigation_text: m.noReviewLitigationText,
      // The issuer resolved to its GB/T 2260 division, and each field's cross-check (core/issuer).
      issuer_match: m.issuerMatch ?? null,
      checks: m.checks ?? [],
    },
    sections: report.sections.map((s) => ({ key: s.key, heading: s.heading, page: s.page, found: s.found })),
    missing: report.missing,
    mapped_table_ids: report.mappedTableIds,
    unmapped_table_ids: report.unmappedTableIds,
    notes: report.notes ?? [],
  };
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/**
 * The JSON export of one document (report-json.md): `status` ok/failed with `error` when failed,
 * `report` with the three tables as CELLs and the checks, plus metadata, missing keys, unmapped
 * tables, pages and flags for people and the review tools.
 */
export function toReportJson(doc: Document): ReportJson {
  const failed = doc.status === 'failed';
  const error = doc.error ?? doc.problems[0];
  return {
    status: failed ? 'failed' : 'ok',
    review_status: doc.status,
    ...(failed && error
      ? {
          error: {
            code: error.code,
            message: error.message,
            stage: error.stage,
            ...(error.page !== undefined ? { page: error.page } : {}),
          },
        }
      : {}),
    report: doc.report ? reportJson(doc.report) : null,
    document: {
      sha256: doc.sha256,
      size: doc.size,
      kind: doc.kind,
      mime: doc.mime,
      pipeline_version: doc.pipelineVersion,
      summary: doc.summary,
      pages: doc.pages.map((p) => ({
        number: p.number,
        method: p.method,
        text_layer: p.textLayer.usable ? 'ok' : p.textLayer.reason,
        rotation: p.rotation,
        ...(p.orientation ? { orientation: p.orientation } : {}),
        ocr_confidence: p.ocrConfidence,
        tables: p.tableIds,
      })),
      tables: doc.tables.map((t) => ({
        id: t.id,
        pages: t.pages,
        rows: t.rows,
        cols: t.cols,
        detection: t.detection,
        confidence: t.confidence,
      })),
      problems: doc.problems,
      timings_ms: doc.timings,
      flag_counts: countBy(doc.flags, (f) => f.kind),
    },
    flags: doc.flags,
  };
}
