import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Audit trail of human decisions: one record per decision (correct, confirm, printed-so) and per
 * review closed or reopened (key null), never deleted by reprocessing.
 */
export interface CorrectionRecord {
  sha256: string;
  key: string | null;
  action?: 'correct' | 'confirm' | 'printed-so' | 'close' | 'reopen';
  old: number | string | null;
  new: number | string | null;
  by: string;
  at: Date;
  note?: string;
}

export const correctionSchema = new Schema<CorrectionRecord>(
  {
    sha256: { type: String, required: true },
    key: { type: String, default: null },
    action: String,
    old: { type: Schema.Types.Mixed, default: null },
    new: { type: Schema.Types.Mixed, default: null },
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
