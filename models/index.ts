export { connectModels } from './connect.js';
export { DEFAULT_DB_NAME, databaseInUri } from './database-name.js';
export type { ModelsConnection, MongoHandle } from './connect.js';
export { bindModels, syncIndexes } from './models.js';
export type { Models } from './models.js';
export { saveExtraction } from './save-extraction.js';
export type { SaveContext, SaveResult } from './save-extraction.js';
export { correctCell, effectiveValue } from './correct-cell.js';
export { cellProvenance, cellsWithProvenance, decideValue, decisionKind, DECISION_ACTIONS } from './cell-provenance.js';
export type {
  CellState,
  DecidedValue,
  DecisionAction,
  EffectiveCell,
  Provenance,
  ProvenanceKind,
} from './cell-provenance.js';
export type { CellCorrection, CorrectionError } from './correct-cell.js';
export { applyDecision, applyDecisions, closeReview, loadReview, MAX_BATCH, snapshot } from './review-document.js';
export { decidedMetadata, DEFAULT_EXPORT_STATUSES, exportQuery, exportReports } from './export-reports.js';
export type { ExportDocument, ExportFilter, ExportItem, ExportOptions } from './export-reports.js';
export type {
  DecisionInput,
  DecisionItem,
  ReviewDocument,
  ReviewError,
  ReviewReport,
  ReviewSnapshot,
} from './review-document.js';
export { recordDecision } from './correct-cell.js';
export type { DecisionRecord } from './correct-cell.js';
export { describeCellFlags, describeCheck } from './flag-words.js';
export type { CheckLike, FlagText } from './flag-words.js';
export { reviewMetadata } from './metadata-review.js';
export type { MetadataReview } from './metadata-review.js';
export { recheck, decidedValues, newlyFailing, unexplainedFailures } from './recheck.js';
export { invalidValue, metadataField, METADATA_FIELDS } from './validate-decision.js';
export type { MetadataField } from './validate-decision.js';
export { addUser, listUsers, removeUser, userByToken, USER_ROLES } from './users.js';
export type { UserRecord, UserRole } from './user.model.js';
export { DOCUMENT_STATUSES, MAX_STORED_PROBLEMS } from './document.model.js';
export type { DocumentRecord, StoredDocumentStatus, StoredError } from './document.model.js';
export type { PageRecord } from './page.model.js';
export type { TableRecord, TableCellRecord } from './table.model.js';
export { encodeCellKey, decodeCellKey, MAX_STORED_FLAGS } from './report.model.js';
export type { ReportRecord, ReportCellRecord, CurrentCorrection } from './report.model.js';
export type { CorrectionRecord } from './correction.model.js';
export { MAX_RUN_SAMPLES, RUN_KINDS, RUN_STATUSES } from './ingest-run.model.js';
export type { IngestRunRecord, RunSample } from './ingest-run.model.js';
export type { PagePartialRecord } from './page-partial.model.js';
export { nextCountDelayMs, refreshRun } from './refresh-run.js';
export type { RunProgress } from './refresh-run.js';
export { toPlain } from './to-records.js';
export { linkReport } from './cross-report.js';
export type { LinkResult } from './cross-report.js';
export { rerunS3Around, S3_FLAG } from './cross-year-checks.js';
export type { StoredS3Check } from './cross-year-checks.js';
export { aggregateByRegion, COUNTED, issuerSeries, listIssuers } from './archive-queries.js';
export { ensureReportFacts, refreshReportFacts } from './report-facts.js';
export type { ReportFactsRecord } from './report-facts.model.js';
export type { AggregateRow, CountedValue, IssuerYears, Series } from './archive-queries.js';
