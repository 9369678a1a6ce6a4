import type { Check, TemplateVersion } from '../core/model/index.js';
import type { DecidedValue, DecisionAction, EffectiveCell } from './cell-provenance.js';
import { recordDecision } from './correct-cell.js';
import type { DocumentRecord } from './document.model.js';
import { describeCheck } from './flag-words.js';
import type { MetadataReview } from './metadata-review.js';
import type { Models } from './models.js';
import { newlyFailing, recheck, unexplainedFailures } from './recheck.js';
import type { ReportRecord } from './report.model.js';
import { primaryDoubts, reviewItems, storedCrossChecks } from './review-items.js';
import { invalidValue, metadataField } from './validate-decision.js';

export type ReviewDocument = Pick<
  DocumentRecord,
  'sha256' | 'status' | 'source' | 'metadata' | 'review' | 'pageCount' | 'finishedAt'
>;
export type ReviewReport = Omit<ReportRecord, 'sections'>;

/** A document with its report, its cells and metadata as decided, and the checks re-run on the human values. */
export interface ReviewSnapshot {
  readonly document: ReviewDocument;
  readonly report: ReviewReport;
  readonly cells: readonly EffectiveCell[];
  readonly metadata: readonly MetadataReview[];
  readonly checks: readonly Check[];
  /** Flagged cells and metadata fields without a decision. */
  readonly open: readonly string[];
  /** Failing hard rules no printed-so mark explains. */
  readonly unexplained: readonly Check[];
}

export type ReviewError = {
  readonly code: 'NO_DOCUMENT' | 'NO_REPORT' | 'UNKNOWN_KEY' | 'BAD_VALUE' | 'RULE_FAILS' | 'OPEN' | 'NOT_IN_REVIEW';
  readonly message: string;
  readonly rule?: string;
  readonly text?: string;
  readonly values?: Readonly<Record<string, number | null>>;
  readonly open?: readonly string[];
  readonly rules?: readonly Check[];
};

/** The document fields a review reads; exports read these and a few more (export-reports.ts). */
export const REVIEW_DOCUMENT_FIELDS = {
  _id: 0,
  sha256: 1,
  status: 1,
  source: 1,
  metadata: 1,
  review: 1,
  pageCount: 1,
  finishedAt: 1,
} as const;

export async function loadReview(models: Models, sha256: string): Promise<ReviewSnapshot | ReviewError> {
  const [document, report] = await Promise.all([
    models.Document.findOne({ sha256 }, REVIEW_DOCUMENT_FIELDS).lean<ReviewDocument>(),
    models.Report.findOne({ sha256 }, { _id: 0, sections: 0 }).lean<ReviewReport>(),
  ]);
  if (!document) return { code: 'NO_DOCUMENT', message: `no document ${sha256}` };
  if (!report) return { code: 'NO_REPORT', message: `document ${sha256} has no report (status ${document.status})` };
  return snapshot(document, report, await primaryDoubts(models, report));
}

/**
 * `given` checks replace the re-run and the stored S3 links (exports: stored-checks.ts readerChecks,
 * which re-runs only when the stored checks no longer hold).
 */
export function snapshot(
  document: ReviewDocument,
  report: ReviewReport,
  doubtsOfPrimary: ReadonlySet<string> = new Set(),
  given?: { readonly rechecked: Check[]; readonly cross: readonly Check[] },
): ReviewSnapshot {
  const { cells, metadata, open } = reviewItems(report, document, doubtsOfPrimary);
  // The core's rules re-run on the human values, then the S3 links as the last cross-report run left
  // them (every decision re-runs S3 before the view is read: correct-cell.ts).
  const rechecked = given?.rechecked ?? recheck(report);
  const checks = [...rechecked, ...(given?.cross ?? storedCrossChecks(report))];
  // A copy's values count nowhere: its own hard rules do not hold its review open (review-items.ts).
  const unexplained = report.copyRole === 'copy' ? [] : unexplainedFailures(report, rechecked);
  return { document, report, cells, metadata, checks, open, unexplained };
}

export interface DecisionInput {
  readonly sha256: string;
  readonly key: string;
  readonly action: DecisionAction;
  readonly value?: unknown;
  readonly note?: string;
  /** The authenticated user. */
  readonly by: string;
}

export type DecisionItem = Omit<DecisionInput, 'sha256' | 'by'>;

/** Decisions checked together at most (a value and the totals computed from it). */
export const MAX_BATCH = 50;

/** A person's decision on one cell or metadata field: a batch of one (applyDecisions). */
export function applyDecision(models: Models, input: DecisionInput): Promise<ReviewSnapshot | ReviewError> {
  const { sha256, by, ...item } = input;
  return applyDecisions(models, { sha256, by, decisions: [item] });
}

/**
 * A person's decisions on cells or metadata fields, checked together like an extraction: each value
 * must fit its cell's type (BAD_VALUE), and values that together make a hard rule fail that held
 * before are refused (RULE_FAILS, naming the rule and its values) unless one of its cells is marked
 * printed so. Together, because a likely culprit may be a pair — a cell and the row total computed
 * from it — that holds only when both change. All or nothing: nothing is written when one is refused.
 * A decision on a document whose review was closed reopens it, in the audit trail.
 */
export async function applyDecisions(
  models: Models,
  input: { readonly sha256: string; readonly by: string; readonly decisions: readonly DecisionItem[] },
): Promise<ReviewSnapshot | ReviewError> {
  if (input.decisions.length === 0) return { code: 'BAD_VALUE', message: 'no decisions given' };
  if (input.decisions.length > MAX_BATCH)
    return { code: 'BAD_VALUE', message: `at most ${MAX_BATCH} decisions at once` };
  const keys = input.decisions.map((d) => d.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) return { code: 'BAD_VALUE', message: `${twice} is decided twice in one batch` };
  const state = await loadReview(models, input.sha256);
  if ('code' in state) return state;
  const planned: {
    item: DecisionItem;
    field: ReturnType<typeof metadataField>;
    value: DecidedValue;
    old: DecidedValue;
  }[] = [];
  for (const item of input.decisions) {
    const field = metadataField(item.key);
    const current = field
      ? state.metadata.find((m) => m.field === field)?.decided
      : state.cells.find((c) => c.key === item.key);
    if (!current) return { code: 'UNKNOWN_KEY', message: `the report has no cell ${item.key}` };
    if (item.action === 'correct' && item.value === undefined)
      return { code: 'BAD_VALUE', message: `a correction of ${item.key} needs a value` };
    const value = item.value === undefined ? current.extracted : item.value;
    const bad = item.action === 'confirm' ? null : invalidValue(item.key, value);
    if (bad) return { code: 'BAD_VALUE', message: bad };
    planned.push({ item, field, value: value as DecidedValue, old: current.value });
  }
  const cells = planned.filter((p) => !p.field);
  const printed = new Set(cells.filter((p) => p.item.action === 'printed-so').map((p) => p.item.key));
  if (cells.length > printed.size) {
    const overrides = Object.fromEntries(cells.map((p) => [p.item.key, p.value as number | null]));
    const after = recheck(state.report, overrides);
    const broken = newlyFailing(state.checks, after).find((c) => !c.keys.some((k) => printed.has(k)));
    if (broken) {
      const values = Object.fromEntries(
        broken.keys.map((k) => [k, Object.hasOwn(overrides, k) ? (overrides[k] ?? null) : numberOf(state, k)]),
      );
      const text = describeCheck(broken, state.report.templateVersion as TemplateVersion | null, values);
      return {
        code: 'RULE_FAILS',
        rule: broken.rule,
        text,
        values,
        message: `${text} — if the report prints it so, mark it printed-so`,
      };
    }
  }
  for (const { item, field, value, old } of planned) {
    await recordDecision(models, {
      sha256: input.sha256,
      key: item.key,
      action: item.action,
      value,
      old,
      by: input.by,
      ...(item.note !== undefined ? { note: item.note } : {}),
    });
    if (field) await setDocumentMetadata(models, input.sha256, field, value);
  }
  if (state.document.status === 'done') await reopen(models, input.sha256, input.by, keys.join(', '));
  const after = await loadReview(models, input.sha256);
  if (!('code' in after))
    await models.Document.updateOne({ sha256: input.sha256 }, { $set: { flagsLeft: after.open.length } });
  return after;
}

function numberOf(state: ReviewSnapshot, key: string): number | null {
  const value = state.cells.find((c) => c.key === key)?.value;
  return typeof value === 'number' ? value : null;
}

/** Queue filters read the document record: a corrected issuer must be found by its corrected name. */
async function setDocumentMetadata(models: Models, sha256: string, field: string, value: unknown): Promise<void> {
  const path = { issuer: 'issuer', year: 'reportYear', region: 'region', template: 'templateVersion' }[field];
  if (path) await models.Document.updateOne({ sha256 }, { $set: { [`metadata.${path}`]: value } });
}

async function reopen(models: Models, sha256: string, by: string, key: string): Promise<void> {
  const updated = await models.Document.updateOne(
    { sha256, status: 'done' },
    { $set: { status: 'needs_review', review: null } },
  );
  if (updated.modifiedCount > 0)
    await models.Correction.create({
      sha256,
      key: null,
      action: 'reopen',
      old: null,
      new: null,
      by,
      at: new Date(),
      note: `edit of ${key}`,
    });
}

/**
 * Closes the review: allowed once every flagged cell and metadata field has a decision and every
 * hard rule that still fails with the human values is explained by a printed-so mark on one of its
 * cells. The document then counts as done, with who closed it and when (also in the audit trail).
 */
export async function closeReview(
  models: Models,
  input: { sha256: string; by: string; note?: string },
): Promise<ReviewSnapshot | ReviewError> {
  const state = await loadReview(models, input.sha256);
  if ('code' in state) return state;
  if (state.document.status !== 'needs_review')
    return { code: 'NOT_IN_REVIEW', message: `document ${input.sha256} is ${state.document.status}, not needs_review` };
  if (state.open.length > 0 || state.unexplained.length > 0) {
    const version = state.report.templateVersion as TemplateVersion | null;
    const rules = state.unexplained.map((c) => `${c.rule} ${describeCheck(c, version)}`);
    return {
      code: 'OPEN',
      message: [
        state.open.length > 0 ? `${state.open.length} flagged values have no decision yet` : '',
        rules.length > 0 ? `hard rules fail without a printed-so mark: ${rules.join('; ')}` : '',
      ]
        .filter((s) => s !== '')
        .join('; '),
      open: state.open,
      rules: state.unexplained,
    };
  }
  const at = new Date();
  const review = { by: input.by, at, ...(input.note !== undefined ? { note: input.note } : {}) };
  const updated = await models.Document.updateOne(
    { sha256: input.sha256, status: 'needs_review' },
    { $set: { status: 'done', review } },
  );
  if (updated.modifiedCount === 0)
    return { code: 'NOT_IN_REVIEW', message: `document ${input.sha256} left review meanwhile` };
  await models.Correction.create({
    sha256: input.sha256,
    key: null,
    action: 'close',
    old: null,
    new: null,
    by: input.by,
    at,
    ...(input.note !== undefined ? { note: input.note } : {}),
  });
  return loadReview(models, input.sha256);
}
