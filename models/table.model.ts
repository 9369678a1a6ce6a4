import { Schema, type Connection, type Model } from 'mongoose';

export interface TableCellRecord {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  page: number;
  box: { x0: number; y0: number; x1: number; y1: number };
  text: string;
  origin: string;
  confidence: number;
  shaded: boolean;
  vertical: boolean;
  alternatives?: string[];
}

/** A generic table of any document (not only the three report tables). */
export interface TableRecord {
  sha256: string;
  tableId: string;
  pipelineVersion: string;
  pages: number[];
  rows: number;
  cols: number;
  detection: string;
  confidence: number;
  box: { x0: number; y0: number; x1: number; y1: number };
  cells: TableCellRecord[];
}

const boxDefinition = { x0: Number, y0: Number, x1: Number, y1: Number };

const cellSchema = new Schema<TableCellRecord>(
  {
    row: Number,
    col: Number,
    rowSpan: Number,
    colSpan: Number,
    page: Number,
    box: boxDefinition,
    text: String,
    origin: String,
    confidence: Number,
    shaded: Boolean,
    vertical: Boolean,
    alternatives: { type: [String], default: undefined },
  },
  { _id: false },
);

export const tableSchema = new Schema<TableRecord>(
  {
    sha256: { type: String, required: true },
    tableId: { type: String, required: true },
    pipelineVersion: { type: String, required: true },
    pages: { type: [Number], default: [] },
    rows: Number,
    cols: Number,
    detection: { type: String, enum: ['ruled', 'raster', 'aligned'] },
    confidence: Number,
    box: boxDefinition,
    // Bounded by one grid (rows × cols of a printed table).
    cells: { type: [cellSchema], default: [] },
  },
  { collection: 'tables', timestamps: true, minimize: false },
);

tableSchema.index({ sha256: 1, tableId: 1 }, { unique: true });
tableSchema.index({ sha256: 1, pages: 1 });

export function tableModel(connection: Connection): Model<TableRecord> {
  return (
    (connection.models['Table'] as Model<TableRecord> | undefined) ??
    connection.model<TableRecord>('Table', tableSchema)
  );
}
