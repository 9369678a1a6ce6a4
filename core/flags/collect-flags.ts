import type { Flag, Page, Problem, Report, ReportCell, ReportSection, Table } from '../model/index.js';
import { DOUBTFUL } from '../report/apply-evidence.js';
import { REPAIRED } from '../report/repair-cells.js';
import { isWeakEvidence } from './weak-evidence.js';

export { summarize } from './summarize.js';

const SECTIONS: readonly ReportSection[] = ['active_disclosure', 'applications', 'review_litigation'];
/** Soft rules whose failure concerns the narrative only: worth a note, not a review. */
const TEXT_ONLY_RULES: ReadonlySet<string> = new Set(['S5', 'S6']);
/** How many missing keys a flag message lists before summarising. */
const MISSING_LISTED = 5;

function problemFlags(problems: readonly Problem[]): Flag[] {
  return problems.map((p) => ({
    kind: 'page-failed',
    severity: 'error',
    at: p.page !== undefined ? { page: p.page } : {},
    message: `${p.code} (${p.stage}): ${p.message}`,
  }));
}

function pageFlags(pages: readonly Page[]): Flag[] {
  const garbled: Flag[] = pages
    .filter((p) => !p.textLayer.usable && p.method === 'text-layer')
    .map((p) => ({
      kind: 'garbled-text-layer',
      severity: 'warn',
      at: { page: p.number },
      message: `page ${p.number}: text layer ${p.textLayer.usable ? 'ok' : `${p.textLayer.reason}: ${p.textLayer.detail}`}`,
    }));
  const turned: Flag[] = pages
    .filter((p) => p.orientation?.uncertain === true)
    .map((p) => ({
      kind: 'orientation-uncertain',
      severity: 'warn',
      at: { page: p.number },
      message: `page ${p.number}: turned ${p.rotation}° on a close call (rows-vs-columns ${p.orientation!.evidence.toFixed(2)}, upright margin ${p.orientation!.uprightMargin?.toFixed(2) ?? 'n/a'})`,
    }));
  return [...garbled, ...turned];
}

function cellFlags(cell: ReportCell): Flag[] {
  const at = { key: cell.key, ...(cell.source ? { page: cell.source.page, tableId: cell.source.tableId } : {}) };
  const failed = cell.flags.filter((f) => f.startsWith('check-failed:')).map((f) => f.slice('check-failed:'.length));
  const soft = cell.flags.filter((f) => f.startsWith('soft-check:')).map((f) => f.slice('soft-check:'.length));
  const out: Flag[] = [];
  if (cell.flags.includes('likely-culprit'))
    out.push({
      kind: 'likely-culprit',
      severity: 'error',
      at,
      message: `${cell.key} = ${cell.value} is the likely culprit${cell.suggestion !== undefined ? `; ${cell.suggestion} would make the rules hold` : ''}`,
    });
  if (failed.length > 0)
    out.push({
      kind: 'check-failed',
      severity: 'error',
      at,
      message: `${cell.key} = ${cell.value} is part of failed ${failed.join(', ')}`,
    });
  if (soft.length > 0)
    out.push({
      kind: 'text-table-mismatch',
      severity: 'warn',
      at,
      message: `${cell.key} = ${cell.value} disagrees with ${soft.join(', ')}`,
    });
  if (cell.flags.includes('unparsable') || cell.flags.includes('ambiguous-parse'))
    out.push({
      kind: 'ambiguous-parse',
      severity: 'warn',
      at,
      message: `${cell.key}: "${cell.raw ?? ''}" ${cell.flags.includes('unparsable') ? 'is not a number' : 'was read with doubt about its row, column or form'}`,
    });
  if (cell.flags.includes('blank-among-zeros'))
    out.push({
      kind: 'blank-cell',
      severity: 'warn',
      at,
      message: `${cell.key} was read blank by OCR in a report that prints 0 for none: a printed value may be lost`,
    });
  for (const why of cell.flags.filter((f) => f.startsWith(DOUBTFUL)))
    out.push({
      kind: 'ambiguous-parse',
      severity: 'warn',
      at,
      message: `${cell.key} = ${cell.value}: ${why.slice(DOUBTFUL.length)}`,
    });
  if (cell.flags.includes('unverified'))
    out.push({
      kind: 'unverified',
      severity: 'warn',
      at,
      message: `${cell.key} = ${cell.value} was read by OCR and no sum could check it where it sits (its sums, or the column sums of its column, lack other values)`,
    });
  if (cell.flags.includes(REPAIRED))
    out.push({
      kind: 'inferred',
      severity: 'warn',
      at,
      message: `${cell.key} = ${cell.value} was chosen by the sums (read "${cell.raw ?? ''}"): the only value its ink allows that makes every exact sum through it hold; confirm it`,
    });
  if (cell.flags.includes('low-confidence'))
    out.push({ kind: 'low-confidence', severity: 'warn', at, message: `${cell.key}: confidence ${cell.confidence}` });
  return out;
}

function reportFlags(report: Report, tables: readonly Table[]): Flag[] {
  const out: Flag[] = [];
  if (report.template.version === null)
    out.push({ kind: 'template-unknown', severity: 'warn', at: {}, message: 'template version could not be decided' });
  if (report.template.conflict)
    out.push({
      kind: 'template-conflict',
      severity: 'warn',
      at: {},
      message: `template ${report.template.version} from the labels disagrees with: ${report.template.evidence.join('; ')}`,
    });
  for (const key of ['s2_proactive', 's3_applications', 's4_review_litigation'] as const) {
    if (!report.sections.some((s) => s.key === key))
      out.push({
        kind: 'missing-section',
        severity: 'warn',
        at: {},
        message: `section ${key} not found (no heading, no table)`,
      });
  }
  for (const section of SECTIONS) {
    const missing = report.missing.filter((k) => k.startsWith(`${section}.`));
    if (missing.length > 0) {
      const listed = missing.slice(0, MISSING_LISTED).join(', ');
      out.push({
        kind: 'missing-value',
        severity: 'warn',
        at: { key: section },
        message: `${missing.length} ${section} values missing: ${listed}${missing.length > MISSING_LISTED ? ', …' : ''}`,
      });
    }
    const cells = Object.values(report.cells).filter((c) => c.key.startsWith(`${section}.`));
    const weak = isWeakEvidence(cells);
    const tableId = report.mappedTableIds[section][0];
    if (weak)
      out.push({
        kind: 'weak-evidence',
        severity: 'info',
        at: tableId ? { tableId } : { key: section },
        message: `${section}: every value is ${weak}; the rules pass trivially and say little about column alignment`,
      });
  }
  const derived = Object.values(report.cells).filter((c) => c.derived !== undefined);
  if (derived.length > 0)
    out.push({
      kind: 'inferred',
      severity: 'info',
      at: { key: 'applications' },
      message: `table 三 prints ${derived.length} row totals blank (domain.md §7.3): H3 cannot check those rows, it has not failed; their totals are derived from the parts`,
    });
  for (const cell of Object.values(report.cells)) out.push(...cellFlags(cell));
  out.push(...metadataFlags(report));
  for (const check of report.checks.filter((c) => c.status === 'fail' && TEXT_ONLY_RULES.has(c.rule))) {
    out.push({ kind: 'text-table-mismatch', severity: 'info', at: {}, message: check.message });
  }
  for (const id of report.unmappedTableIds) {
    const table = tables.find((t) => t.id === id);
    out.push({
      kind: 'unmapped-table',
      severity: 'info',
      at: { tableId: id, ...(table?.pages[0] !== undefined ? { page: table.pages[0] } : {}) },
      message: `table ${id} matches no part of the report schema; kept as a generic table`,
    });
  }
  return out;
}

/**
 * Uncertain metadata is flagged like a cell, keyed `metadata.<field>` (metadata.issuer,
 * metadata.reportYear): a misread issuer or year files the report under the wrong place or time.
 * A doubt that is not a misreading (a town the division data places elsewhere) is a note.
 */
function metadataFlags(report: Report): Flag[] {
  return (report.metadata.checks ?? [])
    .filter((c) => c.flagged || c.confidence < 0.8)
    .map((c) => ({
      kind: 'metadata-uncertain' as const,
      severity: c.flagged ? ('warn' as const) : ('info' as const),
      at: { key: `metadata.${c.field}` },
      message: `${c.message} (confidence ${c.confidence})`,
    }));
}

/** Every reason a person should look at the document: problems, pages, template, cells, tables. */
export function collectFlags(
  pages: readonly Page[],
  tables: readonly Table[],
  report: Report | null,
  problems: readonly Problem[],
): Flag[] {
  return [...problemFlags(problems), ...pageFlags(pages), ...(report ? reportFlags(report, tables) : [])];
}
