import { Schema, type Connection, type Model } from 'mongoose';

/** Flags kept on the report; beyond this (page-failed on a huge scan) only the count is kept. */
export const MAX_STORED_FLAGS = 500;

export interface ReportCellRecord {
  key: string;
  raw: string | null;
  value: number | null;
  reason?: string;
  unit?: string;
  confidence: number;
  flags: string[];
  suggestion?: number;
  /** A total printed blank, derived from its parts (value stays null). */
  derived?: number;
  source: { tableId: string; row: number; col: number; page: number } | null;
}

/**
 * The current human decision on one cell or metadata field (`metadata.issuer`); the full history is in
 * the `corrections` collection. Values are numbers for cells, strings or numbers for metadata.
 */
export interface CurrentCorrection {
  key: string;
  value: number | string | null;
  old: number | string | null;
  /** Absent on records of the old corrections route (see cell-provenance.ts decisionKind). */
  action?: 'correct' | 'confirm' | 'printed-so';
  by: string;
  at: Date;
  note?: string;
}

export interface ReportRecord {
  sha256: string;
  pipelineVersion: string;
  templateVersion: string | null;
  template: { version: string | null; evidence: string[]; conflict: boolean };
  reportYear: number | null;
  issuer: string | null;
  metadata: Record<string, unknown>;
  sections: unknown[];
  /** Every schema key of the template (≈ 200 at most): bounded. */
  cells: ReportCellRecord[];
  missing: string[];
  mappedTableIds: Record<string, string[]>;
  unmappedTableIds: string[];
  checks: unknown[];
  /**
   * The failing entries of `checks` (S3 included), written in the same update as `checks`: what an
   * export of cells and flags reads instead of every check (over half a report's bytes). Absent on
   * reports saved before it existed (exports then read `checks`).
   */
  failedChecks?: unknown[];
  /**
   * The pipeline version whose re-check of the undecided values (recheck.ts) gave exactly the stored
   * non-S3 checks, set at save; null when it did not (a total printed blank and derived from its
   * parts is checked differently). While it is the running version and no cell is decided, exports
   * use the stored checks instead of re-running them (export-reports.ts).
   */
  recheckStamp?: string | null;
  flags: unknown[];
  flagCount: number;
  /**
   * Current corrections keyed by the cell key with '.' encoded as ':' (so one `$set` addresses it).
   * Never written by `saveExtraction`, so reprocessing keeps them.
   */
  corrections: Record<string, CurrentCorrection>;
  /** Written after each save by the cross-report step (cross-report.ts), never by `saveExtraction`. */
  issuerId?: string | null;
  region?: IssuerRegion | null;
  /** How the numbers were read: a text layer is trusted over OCR when copies disagree. */
  reading?: 'text-layer' | 'ocr' | 'mixed' | null;
  /** Copies of one report (same issuer, year and tables) share a group; the primary carries the value. */
  copyGroup?: string | null;
  copyRole?: 'primary' | 'copy' | null;
  /** S3 re-runs so far, and whether a cross-report flag (not the extractor) sent the document to review. */
  crossYear?: { runs: number; raisedStatus?: boolean };
  /** What cross-verification against a copy changed (cleared doubts), so a re-run can undo it. */
  copyCheck?: unknown;
  /** The S3 checks that failed (a copy of those in `checks`), read by series (through report facts). */
  s3Failed?: unknown[];
}

/** Where an issuer sits: GB/T 2260 code and the names above it. */
export interface IssuerRegion {
  code: string | null;
  province: string | null;
  city: string | null;
  county: string | null;
  town: string | null;
}

const cellSchema = new Schema<ReportCellRecord>(
  {
    key: { type: String, required: true },
    raw: { type: String, default: null },
    value: { type: Number, default: null },
    reason: String,
    unit: String,
    confidence: Number,
    flags: { type: [String], default: [] },
    suggestion: Number,
    derived: Number,
    source: { type: Schema.Types.Mixed, default: null },
  },
  { _id: false },
);

export const reportSchema = new Schema<ReportRecord>(
  {
    sha256: { type: String, required: true },
    pipelineVersion: { type: String, required: true },
    templateVersion: { type: String, default: null },
    template: {
      version: { type: String, default: null },
      evidence: { type: [String], default: [] },
      conflict: Boolean,
    },
    reportYear: { type: Number, default: null },
    issuer: { type: String, default: null },
    metadata: { type: Schema.Types.Mixed, default: {} },
    sections: { type: [Schema.Types.Mixed], default: [] },
    cells: { type: [cellSchema], default: [] },
    missing: { type: [String], default: [] },
    mappedTableIds: { type: Schema.Types.Mixed, default: {} },
    unmappedTableIds: { type: [String], default: [] },
    checks: { type: [Schema.Types.Mixed], default: [] },
    failedChecks: { type: [Schema.Types.Mixed], default: undefined },
    recheckStamp: { type: String, default: null },
    flags: { type: [Schema.Types.Mixed], default: [] },
    flagCount: { type: Number, default: 0 },
    corrections: { type: Schema.Types.Mixed, default: {} },
    issuerId: { type: String, default: null },
    region: { type: Schema.Types.Mixed, default: null },
    reading: { type: String, default: null },
    copyGroup: { type: String, default: null },
    copyRole: { type: String, default: null },
    crossYear: { type: Schema.Types.Mixed, default: undefined },
    copyCheck: { type: Schema.Types.Mixed, default: null },
    s3Failed: { type: [Schema.Types.Mixed], default: undefined },
  },
  { collection: 'reports', timestamps: true, minimize: false },
);

reportSchema.index({ sha256: 1 }, { unique: true });
reportSchema.index({ reportYear: 1, issuer: 1 });
reportSchema.index({ flagCount: -1 });
// One issuer's timeline (series, S3 neighbours, copies) and totals by region and year.
reportSchema.index({ issuerId: 1, reportYear: 1 });
reportSchema.index({ 'region.code': 1, reportYear: 1 });
reportSchema.index({ 'checks.other.sha256': 1 });

export function reportModel(connection: Connection): Model<ReportRecord> {
  return (
    (connection.models['Report'] as Model<ReportRecord> | undefined) ??
    connection.model<ReportRecord>('Report', reportSchema)
  );
}

/** Mongo paths cannot address a field whose name contains '.', so report keys are stored with ':' instead. */
export function encodeCellKey(key: string): string {
  return key.replaceAll('.', ':');
}

export function decodeCellKey(encoded: string): string {
  return encoded.replaceAll(':', '.');
}
