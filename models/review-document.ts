import type { Check, TemplateVersion } from '../core/model/index.js';
import { cellsWithProvenance, type DecisionAction, type EffectiveCell } from './cell-provenance.js';
import { recordDecision } from './correct-cell.js';
import type { DocumentRecord } from './document.model.js';
import { describeCheck } from './flag-words.js';
import { reviewMetadata, type MetadataReview } from './metadata-review.js';
import type { Models } from './models.js';
import { newlyFailing, recheck, unexplainedFailures } from './recheck.js';
import type { ReportRecord } from './report.model.js';
import { invalidValue, metadataField } from './validate-decision.js';

export type ReviewDocument = Pick<DocumentRecord, 'sha256' | 'status' | 'source' | 'metadata' | 'review' | 'pageCount'>;
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

const DOCUMENT_FIELDS = { _id: 0, sha256: 1, status: 1, source: 1, metadata: 1, review: 1, pageCount: 1 } as const;

export async function loadReview(models: Models, sha256: string): Promise<ReviewSnapshot | ReviewError> {
  const [document, report] = await Promise.all([
    models.Document.findOne({ sha256 }, DOCUMENT_FIELDS).lean<ReviewDocument>(),
    models.Report.findOne({ sha256 }, { _id: 0, sections: 0 }).lean<ReviewReport>(),
  ]);
  if (!document) return { code: 'NO_DOCUMENT', message: `no document ${sha256}` };
  if (!report) return { code: 'NO_REPORT', message: `document ${sha256} has no report (status ${document.status})` };
  return snapshot(document, report);
}

export function snapshot(document: ReviewDocument, report: ReviewReport): ReviewSnapshot {
  const cells = cellsWithProvenance(report);
  const metadata = reviewMetadata(report, document);
  const checks = recheck(report);
  const open = [
    ...cells.filter((c) => c.open).map((c) => c.key),
    ...metadata.filter((m) => m.decided.open).map((m) => m.key),
  ];
  return { document, report, cells, metadata, checks, open, unexplained: unexplainedFailures(report, checks) };
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

/**
 * A person's decision on one cell or metadata field, checked like an extraction: the value must fit
 * the cell's type (BAD_VALUE), and a value that makes a hard rule fail that held before is refused
 * (RULE_FAILS, naming the rule and its values) unless the person marks it printed so. A decision
 * on a document whose review was closed reopens it, in the audit trail.
 */
export async function applyDecision(models: Models, input: DecisionInput): Promise<ReviewSnapshot | ReviewError> {
  const state = await loadReview(models, input.sha256);
  if ('code' in state) return state;
  const field = metadataField(input.key);
  const current = field
    ? state.metadata.find((m) => m.field === field)?.decided
    : state.cells.find((c) => c.key === input.key);
  if (!current) return { code: 'UNKNOWN_KEY', message: `the report has no cell ${input.key}` };
  if (input.action === 'correct' && input.value === undefined)
    return { code: 'BAD_VALUE', message: 'a correction needs a value' };
  const value = input.value === undefined ? current.extracted : input.value;
  const bad = input.action === 'confirm' ? null : invalidValue(input.key, value);
  if (bad) return { code: 'BAD_VALUE', message: bad };
  const decided = value as number | string | null;
  if (!field && input.action !== 'printed-so') {
    const after = recheck(state.report, { [input.key]: decided as number | null });
    const broken = newlyFailing(state.checks, after)[0];
    if (broken) {
      const values = Object.fromEntries(
        broken.keys.map((k) => [k, k === input.key ? (decided as number | null) : numberOf(state, k)]),
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
  await recordDecision(models, {
    sha256: input.sha256,
    key: input.key,
    action: input.action,
    value: decided,
    old: current.value,
    by: input.by,
    ...(input.note !== undefined ? { note: input.note } : {}),
  });
  if (field) await setDocumentMetadata(models, input.sha256, field, decided);
  if (state.document.status === 'done') await reopen(models, input.sha256, input.by, input.key);
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
