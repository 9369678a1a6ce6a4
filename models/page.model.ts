import { Schema, type Connection, type Model } from 'mongoose';

/** One page of a document. Pages live in their own collection: a 1,000-page scan must not hit the 16 MiB limit. */
export interface PageRecord {
  sha256: string;
  number: number;
  pipelineVersion: string;
  method: string;
  size: { width: number; height: number };
  rotation: number;
  /** How a scanned page's rotation was decided (Page.orientation), null on text-layer pages. */
  orientation: { evidence: number; uprightMargin: number | null; uncertain: boolean } | null;
  textLayer: { usable: boolean; reason: string; detail?: string };
  text: string;
  /** TextBlocks with their lines and boxes, as the core produced them (bounded by one page). */
  blocks: unknown[];
  ocrConfidence: number | null;
  /** The raster the OCR read; deskewDeg and rectified: how it was made upright; lineDpi: a fax standard-mode scan's coarse axis (Page.image). */
  image: {
    width: number;
    height: number;
    dpi: number;
    deskewDeg?: number;
    rectified?: boolean;
    lineDpi?: number;
  } | null;
  tableIds: string[];
}

export const pageSchema = new Schema<PageRecord>(
  {
    sha256: { type: String, required: true },
    number: { type: Number, required: true, min: 1 },
    pipelineVersion: { type: String, required: true },
    method: { type: String, enum: ['text-layer', 'ocr', 'failed'], required: true },
    size: { width: Number, height: Number },
    rotation: { type: Number, enum: [0, 90, 180, 270], default: 0 },
    orientation: {
      type: new Schema({ evidence: Number, uprightMargin: Number, uncertain: Boolean }, { _id: false }),
      default: null,
    },
    textLayer: { usable: Boolean, reason: String, detail: String },
    text: { type: String, default: '' },
    blocks: { type: [Schema.Types.Mixed], default: [] },
    ocrConfidence: { type: Number, default: null },
    image: {
      type: new Schema(
        { width: Number, height: Number, dpi: Number, deskewDeg: Number, rectified: Boolean, lineDpi: Number },
        { _id: false },
      ),
      default: null,
    },
    tableIds: { type: [String], default: [] },
  },
  { collection: 'pages', timestamps: true, minimize: false },
);

pageSchema.index({ sha256: 1, number: 1 }, { unique: true });
// Review queue: OCR pages by confidence.
pageSchema.index({ method: 1, ocrConfidence: 1 });

export function pageModel(connection: Connection): Model<PageRecord> {
  return (
    (connection.models['Page'] as Model<PageRecord> | undefined) ?? connection.model<PageRecord>('Page', pageSchema)
  );
}
