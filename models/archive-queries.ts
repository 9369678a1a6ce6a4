import { resolveIssuer } from '../core/issuer/resolve-issuer.js';
import type { Models } from './models.js';
import { encodeCellKey, type CurrentCorrection, type IssuerRegion, type ReportCellRecord } from './report.model.js';
import type { StoredS3Check } from './cross-year-checks.js';
import { FACT_DECIDED, FACT_FLAGGED, type Fact } from './report-facts.js';

/**
 * Queries over the archive: issuers and the years held, one issuer's time series for a key, totals
 * by region and year. Every query reads one report per issuer and year — the primary of a copy
 * group (`copyRole` is never `copy`) — so a report held twice is counted once.
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

interface CellRow {
  sha256: string;
  reportYear: number | null;
  issuerId?: string | null;
  issuer?: string | null;
  region?: IssuerRegion | null;
  cells: ReportCellRecord[];
  corrections?: Record<string, CurrentCorrection>;
  checks?: unknown[];
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
  // The indexed $match, then a $group naming the few paths it needs: no report's cells are decoded.
  const rows = await models.Report.aggregate<{
    _id: string;
    year: number | null;
    role: string | null;
    fact: Fact | null;
    checks: StoredS3Check[] | null;
  }>([
    { $match: { issuerId } },
    {
      $group: {
        _id: '$sha256',
        year: { $first: '$reportYear' },
        role: { $first: '$copyRole' },
        fact: { $first: `$facts.${encodeCellKey(key)}` },
        checks: { $first: '$s3Failed' },
      },
    },
  ]);
  const points = rows
    .filter((r) => r.role !== 'copy' && r.fact)
    .sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || (a._id < b._id ? -1 : 1))
    .map((r): SeriesPoint => {
      const fact = r.fact!;
      return {
        sha256: r._id,
        year: r.year,
        value: fact.v,
        ...(fact.f === FACT_DECIDED ? { extracted: fact.x ?? null, reviewedBy: fact.by ?? '' } : {}),
        flags: fact.fl ?? [],
        confidence: fact.c ?? null,
        links: (r.checks ?? [])
          .filter((c) => c.rule === 'S3' && c.keys.includes(key))
          .map(({ scope, status, strength, settled, other }) => ({ scope, status, strength, settled, other })),
      };
    });
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
  const fact = `$facts.${encodeCellKey(key)}`;
  // Counted: the report holds the key and is not a second copy. The key is tested inside the $group:
  // a $match on a facts path costs the embedded server a second pass over each report (+60 %).
  const counted = { $and: [{ $ne: [{ $ifNull: [`${fact}.f`, -1] }, -1] }, { $ne: ['$copyRole', 'copy'] }] };
  const when = (test: unknown, then: unknown = 1): unknown => ({ $cond: [test, then, 0] });
  const state = (f: number): unknown => ({ $and: [counted, { $eq: [`${fact}.f`, f] }] });
  const id = Object.fromEntries(by.map((d) => [d, d === 'year' ? '$reportYear' : `$region.${d}`]));
  // A $group alone (and the year's indexed $match): the server decodes the few paths it names.
  const rows = await models.Report.aggregate<{
    _id: Record<string, string | number | null>;
    total: number;
    reports: number;
    flagged: number;
    corrected: number;
    blank: number;
    flaggedReports: (string | null)[];
  }>([
    // A leading $match streams the reports to the $group (without one the embedded server built the
    // whole input at once and stopped answering for the time); the copy test is cheap here.
    { $match: { ...COUNTED, ...(filter.year !== undefined ? { reportYear: filter.year } : {}) } },
    {
      $group: {
        _id: id,
        total: { $sum: when(counted, `${fact}.v`) },
        reports: { $sum: when(counted) },
        flagged: { $sum: when(state(FACT_FLAGGED)) },
        corrected: { $sum: when(state(FACT_DECIDED)) },
        blank: { $sum: when({ $and: [counted, { $eq: [`${fact}.v`, null] }] }) },
        flaggedReports: { $push: { $cond: [state(FACT_FLAGGED), '$sha256', null] } },
      },
    },
  ]);
  const order = (r: { _id: Record<string, unknown> }): string => JSON.stringify(by.map((d) => r._id[d] ?? null));
  return rows
    .filter((r) => r.reports > 0)
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map((r) => ({
      group: Object.fromEntries(by.map((d) => [d, r._id[d] ?? null])),
      total: r.total,
      reports: r.reports,
      flagged: r.flagged,
      corrected: r.corrected,
      blank: r.blank,
      flaggedReports: r.flaggedReports.filter((s): s is string => s !== null).slice(0, FLAGGED_LISTED),
    }));
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
  const rows = await models.Report.find(
    {},
    { issuerId: 1, reportYear: 1, region: 1, 'metadata.issuerMatch.name': 1 },
  ).lean<
    {
      issuerId?: string | null;
      reportYear: number | null;
      region?: IssuerRegion | null;
      metadata?: { issuerMatch?: { name?: string | null } };
    }[]
  >();
  const byIssuer = new Map<
    string,
    { name: string | null; region: IssuerRegion | null; years: Set<number>; documents: number }
  >();
  let unresolved = 0;
  let latest = 0;
  for (const r of rows) {
    if (r.reportYear !== null) latest = Math.max(latest, r.reportYear);
    if (!r.issuerId) {
      unresolved++;
      continue;
    }
    const entry = byIssuer.get(r.issuerId) ?? {
      name: r.metadata?.issuerMatch?.name ?? null,
      region: r.region ?? null,
      years: new Set<number>(),
      documents: 0,
    };
    entry.documents++;
    if (r.reportYear !== null) entry.years.add(r.reportYear);
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
  const over = encodeCellKey('applications.carried_over.total');
  const forward = encodeCellKey('applications.carried_forward.total');
  const rows = await models.Report.find(
    { issuerId: self.issuerId },
    { sha256: 1, reportYear: 1, copyRole: 1, copyGroup: 1, [`facts.${over}`]: 1, [`facts.${forward}`]: 1, checks: 1 },
  )
    .sort({ reportYear: 1 })
    .lean<
      (CellRow & {
        copyRole?: string | null;
        copyGroup?: string | null;
        facts?: Record<string, { v: number | null }>;
      })[]
    >();
  const years = rows
    .filter((r) => r.copyRole !== 'copy')
    .map((r) => ({
      year: r.reportYear,
      sha256: r.sha256,
      copies: r.copyGroup ? rows.filter((c) => c.copyGroup === r.copyGroup && c.sha256 !== r.sha256).length : 0,
      carriedOver: r.facts?.[over]?.v ?? null,
      carriedForward: r.facts?.[forward]?.v ?? null,
      links: ((r.checks ?? []) as StoredS3Check[])
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
