import { Schema, type Connection, type Model } from 'mongoose';

/** Audit trail of human corrections: one record per change, never deleted by reprocessing. */
export interface CorrectionRecord {
  sha256: string;
  key: string;
  old: number | null;
  new: number | null;
  by: string;
  at: Date;
  note?: string;
}

export const correctionSchema = new Schema<CorrectionRecord>(
  {
    sha256: { type: String, required: true },
    key: { type: String, required: true },
    old: { type: Number, default: null },
    new: { type: Number, default: null },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    note: String,
  },
  { collection: 'corrections', minimize: false },
);

correctionSchema.index({ sha256: 1, key: 1, at: -1 });
correctionSchema.index({ by: 1, at: -1 });

export function correctionModel(connection: Connection): Model<CorrectionRecord> {
  return (
    (connection.models['Correction'] as Model<CorrectionRecord> | undefined) ??
    connection.model<CorrectionRecord>('Correction', correctionSchema)
  );
}
