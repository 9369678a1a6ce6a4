/** Resource limits applied before and while a document is read. */
export interface Limits {
  /** Largest input accepted, in bytes. */
  readonly maxBytes: number;
  /** Most pages a PDF may have; checked before any page is parsed. */
  readonly maxPages: number;
  /** Longest time one page's text layer may take to parse and lay out (the PDF's open too). */
  readonly pageTimeoutMs: number;
  /** Longest time one page may take to be rasterised and read by OCR. */
  readonly ocrPageTimeoutMs: number;
  /** Longest time one document (or one range of it) may take; pages after it are not read (TIMEOUT). */
  readonly documentTimeoutMs: number;
  /** JavaScript heap a PDF reader may use for one page before that page fails (PAGE_TOO_LARGE). */
  readonly memoryBudgetMb: number;
  /** Largest page side in points: the PDF specification's limit (14,400 pt = 200 in); larger boxes are traps. */
  readonly maxPageSidePt: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBytes: 200 * 1024 * 1024,
  maxPages: 1000,
  pageTimeoutMs: 30_000,
  ocrPageTimeoutMs: 120_000,
  documentTimeoutMs: 15 * 60_000,
  memoryBudgetMb: 512,
  maxPageSidePt: 14_400,
};

/** Environment variables that override a limit (read by the workers and the CLI, never by the core). */
export const LIMIT_ENV: Readonly<Record<keyof Limits, string>> = {
  maxBytes: 'DOCQ_MAX_BYTES',
  maxPages: 'DOCQ_MAX_PAGES',
  pageTimeoutMs: 'DOCQ_PAGE_TIMEOUT_MS',
  ocrPageTimeoutMs: 'DOCQ_OCR_PAGE_TIMEOUT_MS',
  documentTimeoutMs: 'DOCQ_DOCUMENT_TIMEOUT_MS',
  memoryBudgetMb: 'DOCQ_MEMORY_BUDGET_MB',
  maxPageSidePt: 'DOCQ_MAX_PAGE_SIDE_PT',
};

/** The limits an environment sets (positive numbers only); the rest stay at their defaults. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<Limits> {
  const out: Partial<Record<keyof Limits, number>> = {};
  for (const [key, name] of Object.entries(LIMIT_ENV) as [keyof Limits, string][]) {
    const value = Number(env[name]);
    if (env[name] !== undefined && Number.isFinite(value) && value > 0) out[key] = value;
  }
  return out;
}
