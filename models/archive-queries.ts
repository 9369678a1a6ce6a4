import { resolveIssuer } from '../core/issuer/resolve-issuer.js';
import type { Models } from './models.js';
import type { IssuerRegion } from './report.model.js';
import type { ReportFactsRecord } from './report-facts.model.js';
import type { StoredS3Check } from './cross-year-checks.js';
import {
  ensureReportFacts,
  factAt,
  factPath,
  FACT_CLEAN,
  FACT_DECIDED,
  FACT_FLAGGED,
  type Fact,
} from './report-facts.js';

/**
 * Queries over the archive: issuers and the years held, one issuer's time series for a key, totals
 * by region and year. They read the small per-report facts (report-facts.model.ts), not the reports,
 * and count one report per issuer and year — the primary of a copy group — so a report held twice
 * is counted once.
 */
export const COUNTED = { copyRole: { $ne: 'copy' } } as const;

/** One number as it went into a series or a total: its value and what stands behind it (the decision itself is a cell-provenance `Provenance`). */
export interface CountedValue {
  readonly sha256: string;
  readonly year: number | null;
  readonly value: number | null;
  /** The extracted value a person replaced. */
  readonly extracted?: number | null;
  readonly reviewedBy?: string;
  /** Open flags (none once a person decided the cell). */
  readonly flags: readonly string[];
  readonly confidence: number | null;
}

/** An issuerId as given (`320813:`), or the identity of a printed name (淮安市 → `3208:`). */
export function issuerIdOf(text: string): string | null {
  return /^\d{2,9}:/.test(text) ? text : resolveIssuer(text).issuerId;
}

export interface SeriesPoint extends CountedValue {
  /** Failed S3 links of this year's report that involve the key (the timeline's notes and flags). */
  readonly links: readonly Pick<StoredS3Check, 'scope' | 'status' | 'strength' | 'settled' | 'other'>[];
}

export interface Series {
  readonly issuerId: string;
  readonly key: string;
  readonly points: readonly SeriesPoint[];
}

/** One issuer's values of one key, year by year, with provenance and the failed S3 links involving it. */
export async function issuerSeries(
  models: Models,
  issuer: string,
  key: string,
): Promise<Series | { code: 'NO_ISSUER'; message: string }> {
  const issuerId = issuerIdOf(issuer);
  if (!issuerId) return { code: 'NO_ISSUER', message: `${issuer}: ${resolveIssuer(issuer).reason ?? 'not resolved'}` };
  const path = factPath(key);
  if (!path) return { issuerId, key, points: [] };
  await ensureReportFacts(models);
  const rows = await models.ReportFacts.find(
    { issuerId, counted: true },
    { _id: 0, sha256: 1, year: 1, [path]: 1, s3Failed: 1 },
  ).lean<Pick<ReportFactsRecord, 'sha256' | 'year' | 'facts' | 's3Failed'>[]>();
  const points = rows
    .map((r) => ({ r, fact: factAt(r.facts, key) }))
    .filter((p): p is { r: (typeof rows)[number]; fact: Fact } => p.fact !== undefined)
    .sort((a, b) => (a.r.year ?? 0) - (b.r.year ?? 0) || (a.r.sha256 < b.r.sha256 ? -1 : 1))
    .map(({ r, fact }): SeriesPoint => ({
      sha256: r.sha256,
      year: r.year,
      value: fact.v,
      ...(fact.f === FACT_DECIDED ? { extracted: fact.x ?? null, reviewedBy: fact.by ?? '' } : {}),
      flags: fact.fl ?? [],
      confidence: fact.c ?? null,
      links: (r.s3Failed as StoredS3Check[])
        .filter((c) => c.rule === 'S3' && c.keys.includes(key))
        .map(({ scope, status, strength, settled, other }) => ({ scope, status, strength, settled, other })),
    }));
  return { issuerId, key, points };
}

export type AggregateDimension = 'province' | 'city' | 'county' | 'year';

export interface AggregateRow {
  readonly group: Readonly<Partial<Record<AggregateDimension, string | number | null>>>;
  readonly total: number;
  readonly reports: number;
  /** Numbers in the total that still carry an open flag: the total says so. */
  readonly flagged: number;
  readonly corrected: number;
  /** Reports of the group that print the key blank (counted as 0). */
  readonly blank: number;
  /** The reports behind the flagged numbers (the first 20). */
  readonly flaggedReports: readonly string[];
}

const FLAGGED_LISTED = 20;

const DIMENSIONS: readonly AggregateDimension[] = ['province', 'city', 'county', 'year'];

/** Parses `--by province,year`; a string is the error. */
export function parseDimensions(text: string): AggregateDimension[] | string {
  const by = text.split(',').map((s) => s.trim());
  const bad = by.filter((d) => !(DIMENSIONS as readonly string[]).includes(d));
  return bad.length > 0 || by.length === 0
    ? `--by takes ${DIMENSIONS.join(', ')} (comma-separated)`
    : (by as AggregateDimension[]);
}

/** Totals of one key by region and year, each with the flag state of the numbers that went in. */
export async function aggregateByRegion(
  models: Models,
  key: string,
  by: readonly AggregateDimension[],
  filter: { readonly year?: number } = {},
): Promise<AggregateRow[]> {
  const path = factPath(key);
  if (!path) return [];
  await ensureReportFacts(models);
  const fact = `$${path}`;
  const dims = Object.fromEntries(by.map((d) => [d, d === 'year' ? '$year' : `$region.${d}`]));
  // Grouped by the dimensions and the number's state, with plain field sums only: conditional sums
  // per state cost the embedded server's expression evaluation 4× more per report. A report
  // without the key falls in the groups of state null, which count nothing.
  const rows = await models.ReportFacts.aggregate<{
    _id: Record<string, string | number | boolean | null>;
    total: number;
    reports: number;
    sha256s: string[];
  }>([
    // A second copy of a report falls in groups of its own (counted: false), left out below: cheaper
    // on the embedded server than a $match on it, which decodes and tests each record once more.
    { $match: filter.year !== undefined ? { year: filter.year } : {} },
    {
      $group: {
        _id: { ...dims, counted: '$counted', state: `${fact}.f`, blank: { $eq: [`${fact}.v`, null] } },
        total: { $sum: `${fact}.v` },
        reports: { $sum: 1 },
        sha256s: { $firstN: { input: '$sha256', n: FLAGGED_LISTED } },
      },
    },
  ]);
  type Row = { -readonly [K in keyof AggregateRow]: AggregateRow[K] } & { flaggedReports: string[] };
  const groups = new Map<string, Row>();
  for (const r of rows) {
    const state = r._id['state'];
    if (r._id['counted'] !== true) continue;
    if (state !== FACT_CLEAN && state !== FACT_FLAGGED && state !== FACT_DECIDED) continue;
    const group = Object.fromEntries(by.map((d) => [d, (r._id[d] ?? null) as string | number | null]));
    const at = JSON.stringify(by.map((d) => group[d]));
    const row: Row = groups.get(at) ?? {
      group,
      total: 0,
      reports: 0,
      flagged: 0,
      corrected: 0,
      blank: 0,
      flaggedReports: [],
    };
    row.total += r.total;
    row.reports += r.reports;
    if (r._id['blank'] === true) row.blank += r.reports;
    if (state === FACT_DECIDED) row.corrected += r.reports;
    if (state === FACT_FLAGGED) {
      row.flagged += r.reports;
      row.flaggedReports.push(...r.sha256s.slice(0, FLAGGED_LISTED - row.flaggedReports.length));
    }
    groups.set(at, row);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => ({ ...row, flaggedReports: row.flaggedReports.sort() }));
}

export interface IssuerYears {
  readonly issuerId: string;
  readonly name: string | null;
  readonly region: IssuerRegion | null;
  readonly years: readonly number[];
  /** From the issuer's first year to the archive's latest year, the years without a report. */
  readonly missing: readonly number[];
  /** Reports held including copies. */
  readonly documents: number;
}

/** Every resolved issuer with the years held and missing; unresolved reports are counted apart. */
export async function listIssuers(models: Models): Promise<{ issuers: IssuerYears[]; unresolved: number }> {
  await ensureReportFacts(models);
  const rows = await models.ReportFacts.find({}, { _id: 0, issuerId: 1, year: 1, region: 1, issuerName: 1 }).lean<
    Pick<ReportFactsRecord, 'issuerId' | 'year' | 'region' | 'issuerName'>[]
  >();
  const byIssuer = new Map<
    string,
    { name: string | null; region: IssuerRegion | null; years: Set<number>; documents: number }
  >();
  let unresolved = 0;
  let latest = 0;
  for (const r of rows) {
    if (r.year !== null) latest = Math.max(latest, r.year);
    if (!r.issuerId) {
      unresolved++;
      continue;
    }
    const entry = byIssuer.get(r.issuerId) ?? {
      name: r.issuerName,
      region: r.region ?? null,
      years: new Set<number>(),
      documents: 0,
    };
    entry.documents++;
    if (r.year !== null) entry.years.add(r.year);
    byIssuer.set(r.issuerId, entry);
  }
  const issuers = [...byIssuer].map(([issuerId, e]) => {
    const years = [...e.years].sort((a, b) => a - b);
    const missing: number[] = [];
    for (let y = years[0] ?? latest + 1; y <= latest; y++) if (!e.years.has(y)) missing.push(y);
    return { issuerId, name: e.name, region: e.region, years, missing, documents: e.documents };
  });
  issuers.sort((a, b) => (a.name ?? a.issuerId).localeCompare(b.name ?? b.issuerId, 'zh'));
  return { issuers, unresolved };
}

export interface TimelineYear {
  readonly year: number | null;
  readonly sha256: string;
  /** Other documents of the same report (copies), not counted. */
  readonly copies: number;
  readonly carriedOver: number | null;
  readonly carriedForward: number | null;
  /** S3 links that failed: strong ones are flags, notes are the timeline's. */
  readonly links: readonly Pick<StoredS3Check, 'scope' | 'status' | 'strength' | 'settled' | 'message' | 'other'>[];
}

/**
 * The issuer's timeline beside one document, for the review page: each year's report with last
 * year's 结转下年 next to this year's 上年结转 and the S3 links that failed.
 */
export async function issuerTimeline(
  models: Models,
  sha256: string,
): Promise<{ issuerId: string; years: TimelineYear[] } | { code: 'NO_REPORT' | 'NO_ISSUER'; message: string }> {
  const self = await models.Report.findOne({ sha256 }, { issuerId: 1 }).lean();
  if (!self) return { code: 'NO_REPORT', message: `no report for ${sha256}` };
  if (!self.issuerId) return { code: 'NO_ISSUER', message: `the issuer of ${sha256} is not resolved` };
  const [over, forward] = ['applications.carried_over.total', 'applications.carried_forward.total'];
  await ensureReportFacts(models);
  const rows = await models.ReportFacts.find(
    { issuerId: self.issuerId },
    {
      _id: 0,
      sha256: 1,
      year: 1,
      counted: 1,
      copyGroup: 1,
      [`facts.${over}`]: 1,
      [`facts.${forward}`]: 1,
      s3Failed: 1,
    },
  )
    .sort({ year: 1 })
    .lean<Pick<ReportFactsRecord, 'sha256' | 'year' | 'counted' | 'copyGroup' | 'facts' | 's3Failed'>[]>();
  const years = rows
    .filter((r) => r.counted)
    .map((r) => ({
      year: r.year,
      sha256: r.sha256,
      copies: r.copyGroup ? rows.filter((c) => c.copyGroup === r.copyGroup && c.sha256 !== r.sha256).length : 0,
      carriedOver: factAt(r.facts, over)?.v ?? null,
      carriedForward: factAt(r.facts, forward)?.v ?? null,
      links: (r.s3Failed as StoredS3Check[])
        .filter((c) => c.rule === 'S3' && c.status === 'fail')
        .map(({ scope, status, strength, settled, message, other }) => ({
          scope,
          status,
          strength,
          settled,
          message,
          other,
        })),
    }));
  return { issuerId: self.issuerId, years };
}
