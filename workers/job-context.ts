import type { JobsOptions } from 'bullmq';
import type { Limits, OcrEngine } from '../core/index.js';
import type { Models } from '../models/index.js';
import type { DocumentJobData, PagesJobData } from '../queue/index.js';
import type { Extractor } from './extractor.js';

export interface ChildJob {
  readonly name: 'pages';
  readonly data: PagesJobData;
  readonly opts: JobsOptions;
}

/** What a job needs, created once per process and shared by every job it runs. */
export interface JobContext {
  readonly models: Models;
  readonly extractor: Extractor;
  readonly ocr: OcrEngine;
  /** Deadlines and bounds from the environment (DOCQ_PAGE_TIMEOUT_MS …; core/intake/limits.ts). */
  readonly limits: Partial<Limits>;
  /** Pages per child job when a scan fans out. */
  readonly pagesPerChild: number;
  addChildren(children: readonly ChildJob[]): Promise<void>;
}

/** The part of a BullMQ Job (or SandboxedJob) the processors use. */
export interface ExtractJob {
  readonly id?: string | undefined;
  readonly name: string;
  readonly data: unknown;
  readonly attemptsMade: number;
  /** Times this job was taken back from a worker that died or blocked (BullMQ's stalled check). */
  readonly stalledCounter?: number;
  readonly queueQualifiedName: string;
  updateProgress(value: object): Promise<void>;
  log(row: string): unknown;
  updateData(data: DocumentJobData): Promise<void>;
  moveToWaitingChildren(token?: string): Promise<boolean>;
  getIgnoredChildrenFailures(): Promise<Record<string, string>>;
}

export interface JobOutcome {
  readonly sha256: string;
  readonly status: string;
  readonly pages: number;
  /** Page-range children queued (fan-out), 0 when the document was read in one job. */
  readonly children: number;
  readonly ms: number;
}
