import type { IssuerMatch } from '../core/model/index.js';
import { rerunS3Around } from './cross-year-checks.js';
import { groupCopies } from './report-copies.js';
import type { Models } from './models.js';
import type { IssuerRegion, ReportRecord } from './report.model.js';

export interface LinkResult {
  readonly issuerId: string | null;
  /** This report's copy group (primary first); empty when it stands alone. */
  readonly copies: readonly string[];
  /** Reports whose S3 checks were re-run (this one and its neighbours), each once. */
  readonly rerun: readonly string[];
}

function regionOf(match: IssuerMatch | null | undefined): IssuerRegion | null {
  if (!match?.code) return null;
  return { code: match.code, province: match.province, city: match.city, county: match.county, town: match.town };
}

/**
 * The cross-report step, run after a report is saved (worker), reprocessed or corrected: records
 * the issuer identity, region and reading method on the report, groups it with its copies
 * (report-copies.ts), then re-runs rule S3 on it, its copies and its neighbouring years. Idempotent; the result does not depend on the order reports arrive in.
 */
export async function linkReport(models: Models, sha256: string): Promise<LinkResult> {
  const report = await models.Report.findOne({ sha256 }, { metadata: 1 }).lean<Pick<ReportRecord, 'metadata'>>();
  if (!report) return { issuerId: null, copies: [], rerun: [] };
  const match = (report.metadata as { issuerMatch?: IssuerMatch | null }).issuerMatch;
  const document = await models.Document.findOne({ sha256 }, { summary: 1 }).lean();
  const pages = document?.summary.pages ?? 0;
  const ocr = document?.summary.pagesOcr ?? 0;
  const reading = ocr === 0 ? 'text-layer' : ocr >= pages ? 'ocr' : 'mixed';
  const issuerId = match?.issuerId ?? null;
  await models.Report.updateOne(
    { sha256 },
    { $set: { issuerId, region: regionOf(match), reading } },
    { timestamps: false },
  );
  const copies = await groupCopies(models, sha256);
  // Every member of the group: the primary may have changed, and with it what the neighbours see.
  const rerun = await rerunS3Around(models, sha256, copies);
  return { issuerId, copies, rerun };
}
