import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Results of one page range of a fanned-out scan, waiting for the parent job to assemble them.
 * Kept in MongoDB rather than as job return values so Redis stays small; deleted after assembly.
 */
export interface PagePartialRecord {
  sha256: string;
  pipelineVersion: string;
  from: number;
  to: number;
  /** A core PagePartial (JSON-safe). */
  partial: unknown;
}

export const pagePartialSchema = new Schema<PagePartialRecord>(
  {
    sha256: { type: String, required: true },
    pipelineVersion: { type: String, required: true },
    from: { type: Number, required: true },
    to: { type: Number, required: true },
    partial: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'page_partials', timestamps: true, minimize: false },
);

pagePartialSchema.index({ sha256: 1, pipelineVersion: 1, from: 1 }, { unique: true });

export function pagePartialModel(connection: Connection): Model<PagePartialRecord> {
  return (
    (connection.models['PagePartial'] as Model<PagePartialRecord> | undefined) ??
    connection.model<PagePartialRecord>('PagePartial', pagePartialSchema)
  );
}
