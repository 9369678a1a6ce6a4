/** Resource limits applied before and while a document is read. */
export interface Limits {
  /** Largest input accepted, in bytes. */
  readonly maxBytes: number;
  /** Most pages a PDF may have; checked before any page is parsed. */
  readonly maxPages: number;
  /** Longest time one page may take to parse and lay out. */
  readonly pageTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBytes: 200 * 1024 * 1024,
  maxPages: 1000,
  pageTimeoutMs: 30_000,
};
