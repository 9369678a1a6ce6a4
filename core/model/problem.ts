/** Where in the pipeline something happened. */
export type Stage =
  'intake' | 'open' | 'parse' | 'text' | 'ocr' | 'layout' | 'tables' | 'mapping' | 'checks' | 'export';

/** Closed set of error codes. Documents carry them as values; nothing in the core throws for bad input. */
export type ProblemCode =
  | 'UNSUPPORTED_TYPE'
  /** The file name claims another type than the bytes show; the bytes win, a person should know. */
  | 'TYPE_MISMATCH'
  | 'CORRUPT'
  | 'ENCRYPTED'
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'PAGE_FAILED'
  | 'OCR_FAILED'
  | 'OCR_UNAVAILABLE'
  /** The document (or job) ran past its deadline; the pages read before it are kept. */
  | 'TIMEOUT'
  /** One page ran past its deadline: its work was stopped, the other pages are kept. */
  | 'PAGE_TIMEOUT'
  /** One page would exceed a size or memory bound (a trap or a damaged box): skipped, the others kept. */
  | 'PAGE_TOO_LARGE'
  | 'INTERNAL';

export interface Problem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly stage: Stage;
  /** 1-based page number when the problem belongs to one page. */
  readonly page?: number;
}

/** Codes that make the whole document fail (as opposed to one page). */
export const FATAL_CODES: ReadonlySet<ProblemCode> = new Set([
  'UNSUPPORTED_TYPE',
  'CORRUPT',
  'ENCRYPTED',
  'EMPTY',
  'TOO_LARGE',
]);
