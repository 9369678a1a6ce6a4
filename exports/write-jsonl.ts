import type { Writable } from 'node:stream';
import { checkJson } from '../core/export/to-report-json.js';
import { decidedMetadata, type ExportItem } from '../models/index.js';
import { exportCells, sourceOf, type ExportCellView } from './export-cells.js';
import { write, type ExportCounts } from './write-stream.js';

type Nested = { [key: string]: unknown };

/**
 * A CELL of ../shared/report-json.md with the human decision applied and marked: `value` is the
 * value to use; a decided cell has empty `flags` (a person settled it) and says what it replaced
 * in `provenance` and `extracted`; the extraction's flags stay in `extracted_flags`.
 */
function cellJson(c: ExportCellView): Record<string, unknown> {
  const decided = c.provenance.kind !== 'extracted';
  return {
    value: c.value,
    confidence: c.confidence,
    flags: decided ? [] : c.flags,
    raw: c.raw,
    ...(c.unit ? { unit: c.unit } : {}),
    ...(c.suggestion !== undefined ? { suggestion: c.suggestion } : {}),
    ...(c.page !== undefined ? { page: c.page } : {}),
    state: c.state,
    provenance: c.provenance,
    ...(decided ? { extracted: c.extracted, extracted_flags: c.flags } : {}),
    ...(c.reasons.length > 0 ? { reasons: c.reasons } : {}),
  };
}

function nest(cells: readonly ExportCellView[], section: string): Nested {
  const root: Nested = {};
  for (const cell of cells) {
    const [head, ...path] = cell.key.split('.');
    if (head !== section) continue;
    let node = root;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Nested;
    node[path[path.length - 1] ?? ''] = cellJson(cell);
  }
  return root;
}

/** One document in the format of ../shared/report-json.md, corrections applied and marked. */
export function reportJson(item: ExportItem): Record<string, unknown> {
  const { document } = item;
  const failed = document.status === 'failed';
  const snapshot = item.report;
  const meta = decidedMetadata(item);
  const cells = exportCells(item);
  const decisions = cells.filter((c) => c.provenance.kind !== 'extracted').length;
  return {
    status: failed ? 'failed' : 'ok',
    review_status: document.status,
    ...(failed && document.error ? { error: document.error } : {}),
    report: snapshot
      ? {
          template_version: meta.template,
          report_year: meta.year,
          issuer: meta.issuer,
          region: meta.region,
          active_disclosure: nest(cells, 'active_disclosure'),
          applications: nest(cells, 'applications'),
          review_litigation: nest(cells, 'review_litigation'),
          // The checks as re-run on the values a reader gets (the extraction's own when nothing was decided).
          checks: snapshot.checks.map(checkJson),
          template: snapshot.report.template,
          metadata: snapshot.report.metadata,
          metadata_review: snapshot.metadata.map((m) => ({
            field: m.field,
            value: m.decided.value,
            provenance: m.decided.provenance,
          })),
          missing: snapshot.report.missing,
          mapped_table_ids: snapshot.report.mappedTableIds,
          unmapped_table_ids: snapshot.report.unmappedTableIds,
          decisions,
          open: snapshot.open,
        }
      : null,
    document: {
      sha256: document.sha256,
      source: sourceOf(item),
      ...(document.source.url !== undefined ? { url: document.source.url } : {}),
      ...(document.source.path !== undefined ? { path: document.source.path } : {}),
      kind: document.kind ?? null,
      mime: document.mime ?? null,
      size: document.size ?? null,
      pages: document.pageCount ?? null,
      pipeline_version: document.pipelineVersion ?? null,
      summary: document.summary,
      review: document.review ?? null,
    },
    flags: snapshot?.report.flags ?? [],
  };
}

/** The JSONL export: one report-json object per document; streamed. */
export async function writeJsonl(items: AsyncIterable<ExportItem>, out: Writable): Promise<ExportCounts> {
  const counts: ExportCounts = { documents: 0, cells: 0 };
  for await (const item of items) {
    const json = reportJson(item);
    await write(out, `${JSON.stringify(json)}\n`);
    counts.documents++;
    counts.cells += item.report?.report.cells.length ?? 0;
  }
  return counts;
}
