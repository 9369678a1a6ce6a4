import type { TemplateVersion } from '../core/model/index.js';
import { reportLayout } from '../core/report/labels.js';
import {
  describeCellFlags,
  describeCheck,
  type CheckLike,
  type CorrectionRecord,
  type EffectiveCell,
  type ReviewSnapshot,
} from '../models/index.js';
import { extractionTag } from './cell-boxes.js';

type Box = { x0: number; y0: number; x1: number; y1: number };

/** Where a cell sits on its page image: `boxOf(tableId, row, col)`, null when unknown. */
export type BoxLookup = (source: { tableId: string; row: number; col: number; page: number }) => Box | null;

function provenanceOf(cell: EffectiveCell): Record<string, unknown> {
  return { ...cell.provenance, ...(cell.provenance.at ? { at: cell.provenance.at.toISOString() } : {}) };
}

/**
 * The other values of a likely-culprit pair (a cell and the row total computed from it): taken
 * alone, either breaks a rule, so the page takes the suggestion for all of them in one batch.
 */
function suggestionPartners(checks: readonly CheckLike[]): Map<string, { key: string; value: number }[]> {
  const partners = new Map<string, { key: string; value: number }[]>();
  for (const check of checks as (CheckLike & { culprits?: { key: string; value: number }[] })[]) {
    if (check.status !== 'fail' || (check.culprits?.length ?? 0) < 2) continue;
    for (const fix of check.culprits!)
      partners.set(fix.key, [
        ...(partners.get(fix.key) ?? []),
        ...check.culprits!.filter((o) => o.key !== fix.key && !partners.get(fix.key)?.some((p) => p.key === o.key)),
      ]);
  }
  return partners;
}

/** The document view of docs/review-api.md: tables as printed with labels, every cell with its state and reasons. */
export function documentView(
  state: ReviewSnapshot,
  audit: readonly CorrectionRecord[],
  boxOf: BoxLookup,
): Record<string, unknown> {
  const { document, report } = state;
  const version = report.templateVersion as TemplateVersion | null;
  const stored = new Map(report.cells.map((c) => [c.key, c]));
  const values: Record<string, number | null> = {};
  for (const c of state.cells) values[c.key] = typeof c.value === 'number' ? c.value : null;
  const extractionChecks = report.checks as CheckLike[];
  const pairs = suggestionPartners(extractionChecks);
  const cellView = (cell: EffectiveCell): Record<string, unknown> => {
    const s = stored.get(cell.key);
    const box = s?.source ? boxOf(s.source) : null;
    return {
      key: cell.key,
      value: cell.value,
      raw: s?.raw ?? null,
      confidence: s?.confidence ?? null,
      ...(s?.unit ? { unit: s.unit } : {}),
      state: cell.state,
      flags: s
        ? describeCellFlags(
            {
              key: cell.key,
              raw: s.raw,
              value: s.value,
              confidence: s.confidence,
              flags: s.flags,
              ...(s.suggestion !== undefined && s.suggestion !== null ? { suggestion: s.suggestion } : {}),
            },
            extractionChecks,
            version,
            values,
          )
        : [],
      ...(s?.suggestion !== undefined && s.suggestion !== null ? { suggestion: s.suggestion } : {}),
      ...(s?.suggestion !== undefined && s.suggestion !== null && pairs.has(cell.key)
        ? { suggestionWith: pairs.get(cell.key) }
        : {}),
      ...(s?.source ? { page: s.source.page } : {}),
      ...(box ? { box } : {}),
      provenance: provenanceOf(cell),
    };
  };
  const byKey = new Map(state.cells.map((c) => [c.key, c]));
  const singleOther = byKey.has('applications.other_handling.total') && version === 'v2021';
  const tables = version
    ? reportLayout(version, singleOther).map((layout) => {
        const cells: Record<string, unknown> = {};
        for (const row of layout.rows)
          for (const key of row.cells) {
            const cell = key ? byKey.get(key) : undefined;
            if (key && cell) cells[key] = cellView(cell);
          }
        return { ...layout, cells };
      })
    : [];
  const unexplained = new Set(state.unexplained);
  const printed = new Set(state.cells.filter((c) => c.state === 'printed-inconsistent').map((c) => c.key));
  return {
    sha256: document.sha256,
    status: document.status,
    source: document.source,
    pages: document.pageCount ?? null,
    extraction: extractionTag(document.finishedAt),
    templateVersion: version,
    metadata: Object.fromEntries(
      state.metadata.map((m) => [
        m.field,
        {
          key: m.key,
          value: m.decided.value,
          confidence: m.confidence,
          evidence: m.evidence,
          flags: m.flags.map((f) => ({ kind: f.kind, text: f.message })),
          state: m.decided.state,
          provenance: provenanceOf(m.decided),
        },
      ]),
    ),
    tables,
    checks: state.checks.map((c) => ({
      rule: c.rule,
      hard: c.hard,
      status: c.status,
      ok: c.status !== 'fail',
      text: describeCheck(c, version, values),
      cells: c.keys,
      ...(c.status === 'fail' && c.hard && !unexplained.has(c) && c.keys.some((k) => printed.has(k))
        ? { explained: true }
        : {}),
    })),
    flagsLeft: state.open.length,
    open: state.open,
    rulesOpen: state.unexplained.length,
    canClose: state.open.length === 0 && state.unexplained.length === 0 && document.status === 'needs_review',
    reviewClosed: document.review ? { by: document.review.by, at: document.review.at } : null,
    audit: audit.map((a) => ({
      key: a.key,
      action: a.action ?? (a.old === a.new ? 'confirm' : 'correct'),
      old: a.old,
      new: a.new,
      by: a.by,
      at: a.at,
      ...(a.note !== undefined && a.note !== null ? { note: a.note } : {}),
    })),
  };
}
