/**
 * Job payloads. They carry a content hash and where the bytes are — never the bytes themselves
 * (Redis holds thousands of these; bullmq#2397).
 */

/** A document to extract. `path` is a local file holding the bytes (crawls download into the blob directory first). */
export interface DocumentJobData {
  readonly sha256: string;
  readonly path: string;
  /** Where the bytes came from, for crawled documents. */
  readonly url?: string;
  readonly crawlId?: string;
  /** Where an ingested file was found when `path` is its copy in the blob store (ingest --keep-originals). */
  readonly original?: string;
  /** The IngestRun (bulk ingestion, crawl or reprocess run) this job belongs to. */
  readonly runId: string;
  readonly pipelineVersion: string;
  /**
   * The producer created the document's record when it queued this job: no pass of any pipeline
   * had started on it, so the job's first run has no stale pages, tables or report to remove.
   */
  readonly fresh?: boolean;
  /** Set by the worker itself when a scan fanned out into page-range children; producers leave it unset. */
  readonly step?: 'extract' | 'assemble';
  readonly pageCount?: number;
  /** A document of page images: `path` is their folder, these the file names in page order. */
  readonly pages?: readonly string[];
}

/** A page range of a fanned-out scan (1-based, inclusive). */
export interface PagesJobData {
  readonly sha256: string;
  readonly path: string;
  readonly runId: string;
  readonly pipelineVersion: string;
  readonly from: number;
  readonly to: number;
}

export type JobDataError = { readonly code: 'BAD_JOB_DATA'; readonly message: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Validates a payload read back from Redis (another process, maybe another docq version, wrote it). */
export function parseDocumentJobData(value: unknown): DocumentJobData | JobDataError {
  if (!isRecord(value)) return { code: 'BAD_JOB_DATA', message: 'job data is not an object' };
  const sha256 = nonEmptyString(value, 'sha256');
  const path = nonEmptyString(value, 'path');
  const runId = nonEmptyString(value, 'runId');
  const pipelineVersion = nonEmptyString(value, 'pipelineVersion');
  if (sha256 === null || !SHA256_HEX.test(sha256))
    return { code: 'BAD_JOB_DATA', message: 'sha256 must be 64 lowercase hex digits' };
  if (path === null) return { code: 'BAD_JOB_DATA', message: 'path is required' };
  if (runId === null) return { code: 'BAD_JOB_DATA', message: 'runId is required' };
  if (pipelineVersion === null) return { code: 'BAD_JOB_DATA', message: 'pipelineVersion is required' };
  const step = value['step'] === 'assemble' ? 'assemble' : 'extract';
  const pageCount = typeof value['pageCount'] === 'number' ? value['pageCount'] : undefined;
  const url = optionalString(value, 'url');
  const crawlId = optionalString(value, 'crawlId');
  const original = optionalString(value, 'original');
  const pages = value['pages'];
  if (
    pages !== undefined &&
    !(
      Array.isArray(pages) &&
      pages.length > 0 &&
      pages.every((p) => typeof p === 'string' && p !== '' && !p.includes('/'))
    )
  )
    return { code: 'BAD_JOB_DATA', message: 'pages must be a list of file names' };
  return {
    sha256,
    path,
    runId,
    pipelineVersion,
    step,
    ...(value['fresh'] === true ? { fresh: true } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(crawlId !== undefined ? { crawlId } : {}),
    ...(original !== undefined ? { original } : {}),
    ...(pageCount !== undefined ? { pageCount } : {}),
    ...(pages !== undefined ? { pages: pages as string[] } : {}),
  };
}

export function parsePagesJobData(value: unknown): PagesJobData | JobDataError {
  const base = parseDocumentJobData(value);
  if ('code' in base) return base;
  if (!isRecord(value)) return { code: 'BAD_JOB_DATA', message: 'job data is not an object' };
  const from = value['from'];
  const to = value['to'];
  if (
    typeof from !== 'number' ||
    typeof to !== 'number' ||
    !Number.isInteger(from) ||
    !Number.isInteger(to) ||
    from < 1 ||
    to < from
  ) {
    return { code: 'BAD_JOB_DATA', message: 'from/to must be 1-based integers with from <= to' };
  }
  return { sha256: base.sha256, path: base.path, runId: base.runId, pipelineVersion: base.pipelineVersion, from, to };
}

export function isJobDataError(value: object): value is JobDataError {
  return 'code' in value && (value as { code: unknown }).code === 'BAD_JOB_DATA';
}
