import type { Check } from './check.js';
import type { IssuerMatch } from './issuer.js';

export type TemplateVersion = 'v2019' | 'v2021';

/** The three standard tables, named as in the JSON export (report-json.md). */
export type ReportSection = 'active_disclosure' | 'applications' | 'review_litigation';

/** Why a cell has no number. */
export type NullReason = 'blank' | 'unparsable' | 'missing';

/** Where a report value was read from. */
export interface CellRef {
  readonly tableId: string;
  readonly row: number;
  readonly col: number;
  readonly page: number;
}

/**
 * One value of the fixed schema. `key` is the dotted path of the export, e.g.
 * `applications.new_received.natural_person`, `active_disclosure.regulations.issued`,
 * `review_litigation.review_total`.
 */
export interface ReportCell {
  readonly key: string;
  /** The text as printed (null when the key was not found at all). */
  readonly raw: string | null;
  readonly value: number | null;
  readonly reason?: NullReason;
  /** Unit stripped from the cell or taken from the header (元, 万元). */
  readonly unit?: string;
  /** 0…1: how sure the extractor is of `value`. */
  readonly confidence: number;
  /** Empty when the value can be trusted without a human look; any entry asks a person to check it. */
  readonly flags: readonly string[];
  /** A value that would make the failing rules hold; offered, never substituted. */
  readonly suggestion?: number;
  /** A total printed blank, derived from its parts (all read); `value` stays null as printed. */
  readonly derived?: number;
  readonly source: CellRef | null;
}

export interface SectionSpan {
  /** s1_overview … s6_other (domain.md §1). */
  readonly key:
    's1_overview' | 's2_proactive' | 's3_applications' | 's4_review_litigation' | 's5_problems' | 's6_other';
  readonly heading: string | null;
  /** 1-based page where the section starts, null when only inferred. */
  readonly page: number | null;
  readonly found: 'heading' | 'inferred';
  readonly text: string;
}

export interface Contact {
  readonly office?: string;
  readonly address?: string;
  readonly postcode?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly website?: string;
}

export interface ReportMetadata {
  readonly reportYear: number | null;
  readonly issuer: string | null;
  readonly issuerFull: string | null;
  readonly statPeriod: { readonly start: string; readonly end: string } | null;
  readonly publicationDate: string | null;
  readonly contact: Contact | null;
  readonly formatNoticeCited: string | null;
  readonly proactiveTotal: { readonly value: number; readonly approx: boolean } | null;
  readonly proactiveByChannel: Readonly<Record<string, number>>;
  /** Numbers stated in the narrative, used by S4: 未收到申请 ⇒ 0, 共收到申请 N 件 ⇒ N. */
  readonly applicationsReceivedText: number | null;
  readonly noReviewLitigationText: boolean;
  /** The title's issuer resolved to its administrative division (core/issuer). */
  readonly issuerMatch?: IssuerMatch | null;
  /** Each metadata field cross-checked against its repetitions and the division data. */
  readonly checks?: readonly MetadataCheck[];
}

/** One metadata field as read, how sure, and why; a flagged one asks a person to look, like a cell. */
export interface MetadataCheck {
  readonly field: 'issuer' | 'reportYear' | 'statPeriod';
  readonly value: string | null;
  readonly confidence: number;
  /** Where the value was seen again (or contradicted). */
  readonly evidence: readonly string[];
  readonly flagged: boolean;
  readonly message: string;
}

export interface TemplateDecision {
  readonly version: TemplateVersion | null;
  /** Which signals voted for which version (labels, notice, year). */
  readonly evidence: readonly string[];
  /** The labels disagree with the year or the notice cited. */
  readonly conflict: boolean;
}

export interface Report {
  readonly template: TemplateDecision;
  readonly metadata: ReportMetadata;
  readonly sections: readonly SectionSpan[];
  /** Every schema key of the template, found or not (missing ones have reason 'missing'). */
  readonly cells: Readonly<Record<string, ReportCell>>;
  /** Schema keys the document lacks (tables truncated or absent). */
  readonly missing: readonly string[];
  /** Table ids mapped onto each standard table. */
  readonly mappedTableIds: Readonly<Record<ReportSection, readonly string[]>>;
  readonly unmappedTableIds: readonly string[];
  readonly checks: readonly Check[];
  /** Mapping notes: rows placed by order, repeated rows, headers that did not fit. */
  readonly notes?: readonly string[];
}
