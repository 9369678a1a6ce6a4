import { numberOrNull } from './cell-provenance.js';
import { S3_FLAG } from './cross-flags.js';
import { evaluateS3, type S3Link, type YearReading } from './cross-year-rules.js';
import type { Models } from './models.js';
import { refreshStatus } from './refresh-status.js';
import { refreshReportFacts } from './report-facts.js';
import { encodeCellKey, type ReportRecord } from './report.model.js';
import { failingChecks } from './stored-checks.js';
export { S3_FLAG } from './cross-flags.js';

/** Optimistic writes retried when a save of the same report landed in between. */
const MAX_ATTEMPTS = 5;

/** An S3 result as stored among a report's checks: the core Check fields plus the other side. */
export interface StoredS3Check {
  readonly rule: 'S3';
  readonly hard: false;
  readonly scope: string;
  readonly status: 'pass' | 'fail';
  readonly keys: readonly string[];
  readonly expected: number;
  readonly actual: number;
  readonly message: string;
  readonly strength: 'strong' | 'note';
  /** A person decided one of the cells (on either side): a failure that costs no more review. */
  readonly settled: boolean;
  readonly other: { readonly sha256: string; readonly year: number; readonly keys: readonly string[] };
}

type ReportForS3 = Pick<
  ReportRecord,
  'sha256' | 'reportYear' | 'issuerId' | 'cells' | 'corrections' | 'checks' | 'flags' | 'copyRole' | 'crossYear'
> & { updatedAt?: Date };

const S3_FIELDS = {
  sha256: 1,
  reportYear: 1,
  issuerId: 1,
  cells: 1,
  corrections: 1,
  checks: 1,
  flags: 1,
  copyRole: 1,
  crossYear: 1,
  updatedAt: 1,
} as const;

function reading(report: ReportForS3): YearReading {
  const values = new Map<string, number>();
  const decided = new Set<string>();
  for (const cell of report.cells) {
    if (cell.reason === 'missing') continue;
    const correction = report.corrections[encodeCellKey(cell.key)];
    if (correction) decided.add(cell.key);
    const value = correction ? numberOrNull(correction.value) : cell.value;
    values.set(cell.key, value ?? 0);
  }
  return { sha256: report.sha256, year: report.reportYear ?? 0, values, decided };
}

function stored(link: S3Link, side: 'cur' | 'prev', other: YearReading): StoredS3Check {
  return {
    rule: 'S3',
    hard: false,
    scope: `${link.scope} ${side === 'cur' ? '←' : '→'} ${other.year}`,
    status: link.status,
    keys: side === 'cur' ? link.curKeys : link.prevKeys,
    expected: link.expected,
    actual: link.actual,
    message: link.message,
    strength: link.strength,
    settled: link.settled,
    other: { sha256: other.sha256, year: other.year, keys: side === 'cur' ? link.prevKeys : link.curKeys },
  };
}

/** The report that stands for an issuer's year: the primary copy (copies cross-verify it). */
async function yearReport(models: Models, issuerId: string, year: number): Promise<ReportForS3 | null> {
  const reports = await models.Report.find({ issuerId, reportYear: year }, S3_FIELDS).lean<ReportForS3[]>();
  return (
    reports.find((r) => r.copyRole === 'primary') ?? reports.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1))[0] ?? null
  );
}

/** The S3 checks of one report against the primary reports of the years before and after it. */
async function s3Checks(models: Models, report: ReportForS3): Promise<StoredS3Check[]> {
  const { issuerId, reportYear: year } = report;
  if (!issuerId || year === null) return [];
  const self = reading(report);
  const out: StoredS3Check[] = [];
  const prev = await yearReport(models, issuerId, year - 1);
  if (prev) {
    const other = reading(prev);
    out.push(...evaluateS3(other, self).map((l) => stored(l, 'cur', other)));
  }
  const next = await yearReport(models, issuerId, year + 1);
  if (next) {
    const other = reading(next);
    out.push(...evaluateS3(self, other).map((l) => stored(l, 'prev', other)));
  }
  return out;
}

/** A strong link that failed and no person has settled costs a review. */
const flags = (check: StoredS3Check): boolean =>
  check.strength === 'strong' && check.status === 'fail' && !check.settled;

/**
 * Recomputes the S3 checks of one report from what is stored now and replaces its earlier ones
 * (checks, cell flags, report flags): idempotent, and independent of the order the years arrived in.
 * The write is conditional on the report being unchanged since it was read (a save in between is
 * re-read), so a concurrent reprocess never loses its cells. The document's status follows
 * (refresh-status.ts): a failed link raises review, a settled one lowers it when nothing else is open.
 */
export async function rerunS3(models: Models, sha256: string): Promise<StoredS3Check[] | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const report = await models.Report.findOne({ sha256 }, S3_FIELDS).lean<ReportForS3>();
    if (!report) return null;
    // A copy's S3 links are its primary's (yearReport): checked and flagged once, on the primary.
    const checks = report.copyRole === 'copy' ? [] : await s3Checks(models, report);
    const flagged = new Map<string, StoredS3Check[]>();
    for (const check of checks.filter(flags))
      for (const key of check.keys) flagged.set(key, [...(flagged.get(key) ?? []), check]);
    const cells = report.cells.map((cell) => {
      const rest = cell.flags.filter((f) => f !== S3_FLAG);
      return { ...cell, flags: flagged.has(cell.key) ? [...rest, S3_FLAG] : rest };
    });
    const cellFlags = [...flagged].flatMap(([key, list]) =>
      list.map((c) => {
        const value = report.cells.find((cell) => cell.key === key)?.value;
        return {
          kind: 'check-failed',
          severity: 'error',
          rule: 'S3',
          at: { key },
          message: `${key} = ${value}: S3 fails against the ${c.other.year} report ${c.other.sha256.slice(0, 12)} (${c.other.keys.join(', ')}): ${c.message}`,
        };
      }),
    );
    const otherFlags = (report.flags as { rule?: string }[]).filter((f) => f.rule !== 'S3');
    const otherChecks = (report.checks as { rule?: string }[]).filter((c) => c.rule !== 'S3');
    const update = await models.Report.updateOne(
      { sha256, ...(report.updatedAt ? { updatedAt: report.updatedAt } : {}) },
      {
        $set: {
          cells,
          checks: [...otherChecks, ...checks],
          // The failed links alone, for series over the archive (reading every check costs 8×).
          s3Failed: checks.filter((c) => c.status === 'fail'),
          failedChecks: failingChecks([...otherChecks, ...checks]),
          flags: [...otherFlags, ...cellFlags],
        },
        $inc: { 'crossYear.runs': 1 },
      },
    );
    if (update.matchedCount === 0) continue;
    // What the archive's totals and series read: the cells, decisions and links as they are now.
    await refreshReportFacts(models, [sha256]);
    await refreshStatus(models, sha256);
    return checks;
  }
  throw new Error(`S3 of ${sha256}: the report kept changing while its checks were written`);
}

/**
 * After a report was saved, reprocessed or corrected: its own S3 checks and those of every report
 * that links to it now (the years before and after) or linked to it before (its year or issuer may
 * have changed). Each report is re-run once. Returns the sha256 of every report re-run.
 */
export async function rerunS3Around(models: Models, sha256: string, also: readonly string[] = []): Promise<string[]> {
  const report = await models.Report.findOne({ sha256 }, { issuerId: 1, reportYear: 1 }).lean();
  if (!report) return [];
  const targets = new Set<string>([sha256, ...also]);
  if (report.issuerId && report.reportYear !== null) {
    const around = await models.Report.find(
      { issuerId: report.issuerId, reportYear: { $in: [report.reportYear - 1, report.reportYear + 1] } },
      { sha256: 1 },
    ).lean();
    for (const r of around) targets.add(r.sha256);
  }
  const linked = await models.Report.find({ 'checks.other.sha256': sha256 }, { sha256: 1 }).lean();
  for (const r of linked) targets.add(r.sha256);
  for (const target of targets) await rerunS3(models, target);
  return [...targets];
}
