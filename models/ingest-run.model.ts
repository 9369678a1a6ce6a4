import { Schema, type Connection, type Model } from 'mongoose';

/** Skipped files and fetch failures listed on the run; beyond this only the counts grow. */
export const MAX_RUN_SAMPLES = 100;

export const RUN_KINDS = ['ingest', 'crawl', 'reprocess'] as const;
export const RUN_STATUSES = ['running', 'complete', 'interrupted'] as const;

export interface RunSample {
  path?: string;
  url?: string;
  reason: string;
  /** HTTP status, timeout … for crawl fetch failures. */
  code?: string;
}

export interface IngestRunRecord {
  runId: string;
  kind: (typeof RUN_KINDS)[number];
  /** Identity of the run's input (sorted roots, crawl id, reprocess selector): a re-run with the same key resumes it. */
  inputKey: string;
  roots: string[];
  crawlId?: string;
  pipelineVersion: string;
  status: (typeof RUN_STATUSES)[number];
  /** True while the producer is still adding documents: the run cannot be complete yet. */
  queueing: boolean;
  counts: {
    files: number;
    skipped: number;
    alreadyDone: number;
    /** Ingest: files another pipeline version finished, left as they were (`--refresh` re-extracts them). */
    olderPipeline: number;
    queued: number;
    done: number;
    needsReview: number;
    failed: number;
    fetchFailed: number;
    /** Crawl: pauses a server asked for with Retry-After (429/503), each followed by a retry. */
    retryAfterWaits: number;
  };
  skipped: RunSample[];
  fetchFailures: RunSample[];
  retryAfterWaits: RunSample[];
  startedAt: Date;
  finishedAt?: Date | null;
}

const sampleSchema = new Schema<RunSample>(
  { path: String, url: String, reason: { type: String, required: true }, code: String },
  { _id: false },
);

export const ingestRunSchema = new Schema<IngestRunRecord>(
  {
    runId: { type: String, required: true },
    kind: { type: String, enum: RUN_KINDS, required: true },
    inputKey: { type: String, required: true },
    // CLI roots (a handful); crawl runs have one URL.
    roots: { type: [String], default: [] },
    crawlId: String,
    pipelineVersion: { type: String, required: true },
    status: { type: String, enum: RUN_STATUSES, default: 'running' },
    queueing: { type: Boolean, default: false },
    counts: {
      files: { type: Number, default: 0 },
      skipped: { type: Number, default: 0 },
      alreadyDone: { type: Number, default: 0 },
      olderPipeline: { type: Number, default: 0 },
      queued: { type: Number, default: 0 },
      done: { type: Number, default: 0 },
      needsReview: { type: Number, default: 0 },
      failed: { type: Number, default: 0 },
      fetchFailed: { type: Number, default: 0 },
      retryAfterWaits: { type: Number, default: 0 },
    },
    skipped: { type: [sampleSchema], default: [] },
    fetchFailures: { type: [sampleSchema], default: [] },
    retryAfterWaits: { type: [sampleSchema], default: [] },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'ingest_runs', timestamps: true, minimize: false },
);

ingestRunSchema.index({ runId: 1 }, { unique: true });
ingestRunSchema.index({ inputKey: 1, status: 1 });
ingestRunSchema.index({ startedAt: -1 });

export function ingestRunModel(connection: Connection): Model<IngestRunRecord> {
  return (
    (connection.models['IngestRun'] as Model<IngestRunRecord> | undefined) ??
    connection.model<IngestRunRecord>('IngestRun', ingestRunSchema)
  );
}
