import type { Flag } from './flag.js';
import type { Page } from './page.js';
import type { Problem, Stage } from './problem.js';
import type { Report } from './report.js';
import type { Table } from './table.js';

export type SourceKind = 'pdf' | 'jpeg' | 'png' | 'tiff';

export type DocumentStatus = 'ok' | 'needs_review' | 'failed';

export interface DocumentSummary {
  readonly pages: number;
  readonly pagesOcr: number;
  readonly pagesFailed: number;
  readonly tables: number;
  /** Report cells (schema keys found). */
  readonly cells: number;
  readonly flagged: number;
  readonly checksFailed: number;
  readonly meanConfidence: number | null;
}

/** The result of extracting one document: everything the adapters store or export. */
export interface Document {
  readonly sha256: string;
  readonly size: number;
  readonly kind: SourceKind | null;
  readonly mime: string | null;
  readonly status: DocumentStatus;
  /** The fatal problem when status is 'failed'. */
  readonly error: Problem | null;
  /** Every problem, fatal or per page. */
  readonly problems: readonly Problem[];
  readonly pages: readonly Page[];
  readonly tables: readonly Table[];
  readonly report: Report | null;
  readonly flags: readonly Flag[];
  readonly summary: DocumentSummary;
  /** Milliseconds per stage. */
  readonly timings: Partial<Record<Stage, number>>;
  readonly pipelineVersion: string;
}
