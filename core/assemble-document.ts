import type { Document, Problem, Stage } from './model/index.js';
import { FATAL_CODES } from './model/index.js';
import { stitchTables } from './tables/stitch-tables.js';
import { mapReport } from './report/map-report.js';
import { collectFlags, summarize } from './flags/collect-flags.js';
import type { PagePartial } from './analyze-pages.js';
import { PIPELINE_VERSION } from './version.js';

/**
 * Joins per-page results (one partial for a whole document, or several from a fan-out) into the document:
 * tables stitched across pages → report mapping and checks → flags → summary and status.
 */
export function assembleDocument(partials: readonly PagePartial[]): Document {
  const first = partials[0];
  if (!first) throw new Error('assembleDocument needs at least one partial');
  const timings: Partial<Record<Stage, number>> = {};
  for (const p of partials)
    for (const [k, v] of Object.entries(p.timings) as [Stage, number][]) timings[k] = (timings[k] ?? 0) + v;

  const pages = partials.flatMap((p) => p.pages).sort((a, b) => a.number - b.number);
  const problems: Problem[] = partials.flatMap((p) => p.problems);
  const fatal = problems.find((p) => FATAL_CODES.has(p.code)) ?? null;
  const base = {
    sha256: first.meta.sha256,
    size: first.meta.size,
    kind: first.meta.kind,
    mime: first.meta.mime,
    pipelineVersion: PIPELINE_VERSION,
  };

  if (fatal || pages.length === 0) {
    const error = fatal ?? problems[0] ?? { code: 'EMPTY', message: 'no page could be read', stage: 'intake' };
    const flags = collectFlags([], [], null, problems);
    return {
      ...base,
      status: 'failed',
      error,
      problems,
      pages,
      tables: [],
      report: null,
      flags,
      summary: summarize(pages, [], null, flags),
      timings,
    };
  }

  let t = performance.now();
  const tables = stitchTables(
    partials.flatMap((p) => p.tables),
    pages,
  );
  timings.tables = (timings.tables ?? 0) + (performance.now() - t);
  t = performance.now();
  const report = mapReport(pages, tables);
  timings.mapping = performance.now() - t;
  t = performance.now();
  const flags = collectFlags(pages, tables, report, problems);
  const summary = summarize(pages, tables, report, flags);
  timings.checks = performance.now() - t;
  const needsReview =
    problems.length > 0 || summary.flagged > 0 || summary.checksFailed > 0 || flags.some((f) => f.severity !== 'info');
  return {
    ...base,
    status: needsReview ? 'needs_review' : 'ok',
    error: null,
    problems,
    pages,
    tables,
    report,
    flags,
    summary,
    timings,
  };
}
