import { Schema, type Connection, type Model } from 'mongoose';

export const DOCUMENT_STATUSES = ['queued', 'processing', 'done', 'needs_review', 'failed'] as const;
export type StoredDocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Problems kept on the document itself; the rest are counted (pages carry their own). */
export const MAX_STORED_PROBLEMS = 50;

export interface StoredError {
  /** A core ProblemCode, or a worker code such as SOURCE_MISSING / SOURCE_CHANGED / RETRIES_EXHAUSTED. */
  code: string;
  message: string;
  stage: string;
  page?: number;
}

export interface DocumentRecord {
  sha256: string;
  source: { path?: string; url?: string; crawlId?: string };
  size?: number;
  kind?: string | null;
  mime?: string | null;
  pageCount?: number;
  status: StoredDocumentStatus;
  error?: StoredError | null;
  problems: StoredError[];
  problemCount: number;
  pipelineVersion?: string;
  timings: Record<string, number>;
  attempts: number;
  runId?: string;
  metadata: {
    templateVersion?: string | null;
    reportYear?: number | null;
    issuer?: string | null;
    issuerFull?: string | null;
    region?: string | null;
  };
  summary: {
    pages?: number;
    pagesOcr?: number;
    pagesFailed?: number;
    tables?: number;
    cells?: number;
    flagged?: number;
    checksFailed?: number;
    meanConfidence?: number | null;
  };
  /** Distinct flag kinds present (bounded by the FlagKind union), for "documents with X" queries. */
  flagKinds: string[];
  /** Flagged values without a decision: the extraction's count, then kept by each decision (review-document.ts). */
  flagsLeft?: number;
  /** Set when a person closed the review (every flagged cell decided); see review-document.ts. */
  review?: { by: string; at: Date; note?: string } | null;
  queuedAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

const errorSchema = new Schema<StoredError>(
  {
    code: { type: String, required: true },
    message: { type: String, required: true },
    stage: { type: String, required: true },
    page: Number,
  },
  { _id: false },
);

export const documentSchema = new Schema<DocumentRecord>(
  {
    sha256: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    source: { path: String, url: String, crawlId: String },
    size: Number,
    kind: { type: String, default: null },
    mime: { type: String, default: null },
    pageCount: Number,
    status: { type: String, enum: DOCUMENT_STATUSES, required: true, default: 'queued' },
    error: { type: errorSchema, default: null },
    problems: { type: [errorSchema], default: [] },
    problemCount: { type: Number, default: 0 },
    pipelineVersion: String,
    timings: { type: Schema.Types.Mixed, default: {} },
    attempts: { type: Number, default: 0 },
    runId: String,
    metadata: {
      templateVersion: { type: String, default: null },
      reportYear: { type: Number, default: null },
      issuer: { type: String, default: null },
      issuerFull: { type: String, default: null },
      region: { type: String, default: null },
    },
    summary: {
      pages: Number,
      pagesOcr: Number,
      pagesFailed: Number,
      tables: Number,
      cells: Number,
      flagged: Number,
      checksFailed: Number,
      meanConfidence: { type: Number, default: null },
    },
    flagKinds: { type: [String], default: [] },
    flagsLeft: { type: Number, default: 0 },
    review: { type: new Schema({ by: String, at: Date, note: String }, { _id: false }), default: null },
    queuedAt: Date,
    startedAt: Date,
    finishedAt: Date,
  },
  { collection: 'documents', timestamps: true, minimize: false },
);

documentSchema.index({ sha256: 1 }, { unique: true });
// Dashboards and reprocessing: by status (newest first), by run, by failure code, by pipeline version.
documentSchema.index({ status: 1, updatedAt: -1 });
documentSchema.index({ runId: 1, status: 1 });
documentSchema.index({ 'error.code': 1 }, { sparse: true });
documentSchema.index({ pipelineVersion: 1 });
// Product queries: reports of a year / issuer; the most-flagged and least-confident first for review.
documentSchema.index({ 'metadata.reportYear': 1, 'metadata.issuer': 1 });
documentSchema.index({ 'summary.flagged': -1 });
documentSchema.index({ 'summary.meanConfidence': 1 });
// The review queue: most flags left first within a status.
documentSchema.index({ status: 1, flagsLeft: -1, updatedAt: 1 });

export function documentModel(connection: Connection): Model<DocumentRecord> {
  return (
    (connection.models['Document'] as Model<DocumentRecord> | undefined) ??
    connection.model<DocumentRecord>('Document', documentSchema)
  );
}
