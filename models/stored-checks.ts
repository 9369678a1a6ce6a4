import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../core/model/index.js';
import { PIPELINE_VERSION } from '../core/version.js';
import { recheck, type RecheckReport } from './recheck.js';
import { encodeCellKey, type ReportRecord } from './report.model.js';

/**
 * What is stored beside a report's checks so that a reader of many reports (exports) need neither
 * read every check nor re-run them: the failing ones apart, and whether the stored checks are what
 * re-running them on the undecided values gives (report.model.ts: failedChecks, recheckStamp).
 */

/** The failing entries of stored checks: written wherever `checks` is. */
export function failingChecks<T>(checks: readonly T[]): T[] {
  return checks.filter((c) => (c as { status?: unknown }).status === 'fail');
}

/**
 * At save: the running pipeline version when re-checking the values as extracted gives exactly the
 * checks about to be stored (compared as stored: plain JSON), else null.
 */
export function recheckStamp(report: Omit<RecheckReport, 'corrections'> & { readonly checks: unknown }): string | null {
  const rechecked: unknown = JSON.parse(JSON.stringify(recheck({ ...report, corrections: {} })));
  return isDeepStrictEqual(rechecked, report.checks) ? PIPELINE_VERSION : null;
}

/**
 * The stored non-S3 checks are what `recheck` would give now: stamped by the running pipeline and
 * no cell decided since (a decision on metadata changes no value the checks read).
 */
export function storedChecksHold(report: Pick<ReportRecord, 'cells' | 'corrections' | 'recheckStamp'>): boolean {
  if (report.recheckStamp !== PIPELINE_VERSION) return false;
  const { corrections } = report;
  if (Object.keys(corrections).length === 0) return true;
  return report.cells.every((c) => corrections[encodeCellKey(c.key)] === undefined);
}

/**
 * The checks a reader of the report should see, split as the review snapshot holds them: the
 * report's own rules on the decided values (`rechecked`) and the cross-year S3 links as stored
 * (`cross`). `stored` is the report's checks, or only its failing ones (failedChecks) when the
 * reader needs no more; the result is then failing ones only.
 */
export function readerChecks(
  report: RecheckReport & Pick<ReportRecord, 'recheckStamp'>,
  stored: readonly unknown[],
  failedOnly: boolean,
): { rechecked: Check[]; cross: Check[] } {
  const checks = stored as Check[];
  const cross = checks.filter((c) => c.rule === 'S3');
  const rechecked = storedChecksHold(report) ? checks.filter((c) => c.rule !== 'S3') : recheck(report);
  return { rechecked: failedOnly ? failingChecks(rechecked) : rechecked, cross };
}
