import { Schema, type Connection, type Model } from 'mongoose';

/**
 * What a crawl remembers per document URL between runs: the content hash it last queued (or found
 * unchanged) and the HTTP validators that came with it, so the next run can ask "changed since?"
 * (If-None-Match / If-Modified-Since) and compare hashes when the server cannot answer that.
 */
export interface CrawlStateDoc {
  /** The crawl's name (its scheduler). */
  crawlId: string;
  url: string;
  sha256: string;
  size: number;
  etag?: string | null;
  lastModified?: string | null;
  /** The last time a download changed the hash (or the first download). */
  changedAt: Date;
  lastFetchedAt: Date;
}

export const crawlStateSchema = new Schema<CrawlStateDoc>(
  {
    crawlId: { type: String, required: true },
    url: { type: String, required: true },
    sha256: { type: String, required: true },
    size: { type: Number, required: true },
    etag: { type: String, default: null },
    lastModified: { type: String, default: null },
    changedAt: { type: Date, required: true },
    lastFetchedAt: { type: Date, required: true },
  },
  { collection: 'crawl_state', minimize: false },
);

crawlStateSchema.index({ crawlId: 1, url: 1 }, { unique: true });
crawlStateSchema.index({ sha256: 1 });

export function crawlStateModel(connection: Connection): Model<CrawlStateDoc> {
  return (
    (connection.models['CrawlState'] as Model<CrawlStateDoc> | undefined) ??
    connection.model<CrawlStateDoc>('CrawlState', crawlStateSchema)
  );
}
