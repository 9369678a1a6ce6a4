import type { DocumentSummary, Flag, Page, Report, Table } from '../model/index.js';

/** Figures for one document: pages by method, tables, report cells, flagged cells, failed hard checks. */
export function summarize(
  pages: readonly Page[],
  tables: readonly Table[],
  report: Report | null,
  flags: readonly Flag[],
): DocumentSummary {
  const cells = report ? Object.values(report.cells).filter((c) => c.reason !== 'missing') : [];
  const flaggedKeys = new Set(
    flags.filter((f) => f.at.key !== undefined && f.severity !== 'info').map((f) => f.at.key),
  );
  const flagged = cells.filter((c) => c.flags.length > 0 || flaggedKeys.has(c.key)).length;
  const meanConfidence =
    cells.length > 0 ? Math.round((cells.reduce((s, c) => s + c.confidence, 0) / cells.length) * 1000) / 1000 : null;
  return {
    pages: pages.length,
    pagesOcr: pages.filter((p) => p.method === 'ocr').length,
    pagesFailed: pages.filter((p) => p.method === 'failed').length,
    tables: tables.length,
    cells: cells.length,
    flagged,
    checksFailed: report ? report.checks.filter((c) => c.status === 'fail' && c.hard).length : 0,
    meanConfidence,
  };
}
