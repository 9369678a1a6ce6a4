import { Schema, type Connection, type Model } from 'mongoose';
import type { IssuerRegion } from './report.model.js';

/** One number as the archive queries read it: the value a reader should use and its state. */
export interface Fact {
  readonly v: number | null;
  /** FACT_CLEAN, FACT_FLAGGED or FACT_DECIDED (report-facts.ts). */
  readonly f: 0 | 1 | 2;
  /** The extractor's confidence. */
  readonly c: number;
  /** The open flags, when there are any. */
  readonly fl?: readonly string[];
  /** The extracted value and the person, when a person decided the cell. */
  readonly x?: number | null;
  readonly by?: string;
}

/** Facts nested by the segments of the cell key: `applications.new_received.total` → facts.applications.new_received.total. */
export interface FactTree {
  [segment: string]: FactTree | Fact;
}

/**
 * A small copy of what the archive queries read from one report (≈ 8 KB against a report's
 * ≈ 120 KB): issuer, region, year, whether it is counted (not a second copy) and its numbers with
 * their trust state. A total over 20,000 reports scans these instead of the reports, on the embedded
 * server and on MongoDB alike. Derived, never edited: rewritten from the report after every save,
 * reprocess, decision and regrouping of copies (report-facts.ts), and rebuilt for reports that have
 * none (a database from before this collection).
 */
export interface ReportFactsRecord {
  sha256: string;
  issuerId: string | null;
  /** The division's name as resolved (淮安市洪泽区), for the issuer list. */
  issuerName: string | null;
  region: IssuerRegion | null;
  year: number | null;
  template: string | null;
  /** False for a second copy of a report: every query counts the primary only. */
  counted: boolean;
  /** The report's copy group (primary and copies share it), for the timeline's copy count. */
  copyGroup: string | null;
  facts: FactTree;
  /** The report's failed S3 links (series show those that involve their key). */
  s3Failed: unknown[];
  /** The report's `updatedAt` this was derived from: an older derivation never overwrites a newer one. */
  sourceAt: Date;
}

const reportFactsSchema = new Schema<ReportFactsRecord>(
  {
    sha256: { type: String, required: true },
    issuerId: { type: String, default: null },
    issuerName: { type: String, default: null },
    region: { type: Schema.Types.Mixed, default: null },
    year: { type: Number, default: null },
    template: { type: String, default: null },
    counted: { type: Boolean, required: true },
    copyGroup: { type: String, default: null },
    facts: { type: Schema.Types.Mixed, default: {} },
    s3Failed: { type: [Schema.Types.Mixed], default: [] },
    sourceAt: { type: Date, required: true },
  },
  { collection: 'reportfacts', minimize: false, versionKey: false },
);

reportFactsSchema.index({ sha256: 1 }, { unique: true });
// One issuer's series; totals by province and year (or one year, one province).
reportFactsSchema.index({ issuerId: 1, year: 1 });
reportFactsSchema.index({ 'region.province': 1, year: 1 });

export function reportFactsModel(connection: Connection): Model<ReportFactsRecord> {
  return (
    (connection.models['ReportFacts'] as Model<ReportFactsRecord> | undefined) ??
    connection.model<ReportFactsRecord>('ReportFacts', reportFactsSchema)
  );
}
