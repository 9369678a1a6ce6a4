import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { numberOrNull } from './cell-provenance.js';
import type { Models } from './models.js';
import type { Fact, FactTree, ReportFactsRecord } from './report-facts.model.js';
import { encodeCellKey, type CurrentCorrection, type ReportCellRecord, type ReportRecord } from './report.model.js';
export type { Fact, FactTree } from './report-facts.model.js';

/** A cell's state for totals: clean, an open flag, or decided by a person. */
export const FACT_CLEAN = 0;
export const FACT_FLAGGED = 1;
export const FACT_DECIDED = 2;

/** Schema keys (`applications.new_received.total`): dotted segments of lower-case words. */
const KEY_PATTERN = /^[a-z_]+(\.[a-z0-9_]+)+$/;

/** The path of a key's fact in a ReportFacts record, or null for a text that is no schema key. */
export function factPath(key: string): string | null {
  return KEY_PATTERN.test(key) ? `facts.${key}` : null;
}

/** A key's fact in a tree, if the report holds the key. */
export function factAt(tree: FactTree | undefined, key: string): Fact | undefined {
  let node: FactTree | Fact | undefined = tree;
  for (const segment of key.split('.')) node = node ? (node as FactTree)[segment] : undefined;
  return node && 'f' in node && typeof node.f === 'number' ? (node as Fact) : undefined;
}

function setFact(tree: FactTree, key: string, fact: Fact): void {
  if (!KEY_PATTERN.test(key)) return;
  const segments = key.split('.');
  let node = tree;
  for (const segment of segments.slice(0, -1)) {
    const child = (node[segment] ??= {});
    // A key that is a prefix of another cannot be nested; no schema key is (schema.ts).
    if ('f' in child) return;
    node = child as FactTree;
  }
  node[segments[segments.length - 1]!] = fact;
}

/**
 * The report's numbers, corrections applied, nested by key segment: a total over 20,000 reports then
 * reads one small path of each (`facts.applications.new_received.total.v`), which the embedded
 * server reaches by skipping sibling sub-documents by their length and MongoDB by its own path walk.
 */
export function factsOf(
  cells: readonly ReportCellRecord[],
  corrections: Readonly<Record<string, CurrentCorrection>>,
): FactTree {
  const facts: FactTree = {};
  for (const cell of cells) {
    if (cell.reason === 'missing') continue;
    const corrected = corrections[encodeCellKey(cell.key)];
    setFact(
      facts,
      cell.key,
      corrected
        ? { v: numberOrNull(corrected.value), f: FACT_DECIDED, c: cell.confidence, x: cell.value, by: corrected.by }
        : cell.flags.length > 0
          ? { v: cell.value, f: FACT_FLAGGED, c: cell.confidence, fl: [...cell.flags] }
          : { v: cell.value, f: FACT_CLEAN, c: cell.confidence },
    );
  }
  return facts;
}

type ReportForFacts = Pick<
  ReportRecord,
  | 'sha256'
  | 'reportYear'
  | 'templateVersion'
  | 'cells'
  | 'corrections'
  | 'issuerId'
  | 'region'
  | 'copyRole'
  | 'copyGroup'
  | 's3Failed'
> & { metadata?: { issuerMatch?: { name?: string | null } | null }; updatedAt?: Date };

const FIELDS = {
  sha256: 1,
  reportYear: 1,
  templateVersion: 1,
  cells: 1,
  corrections: 1,
  issuerId: 1,
  region: 1,
  copyRole: 1,
  copyGroup: 1,
  s3Failed: 1,
  'metadata.issuerMatch.name': 1,
  updatedAt: 1,
} as const;

export function reportFactsOf(report: ReportForFacts): ReportFactsRecord {
  return {
    sha256: report.sha256,
    issuerId: report.issuerId ?? null,
    issuerName: report.metadata?.issuerMatch?.name ?? null,
    region: report.region ?? null,
    year: report.reportYear ?? null,
    template: report.templateVersion ?? null,
    counted: report.copyRole !== 'copy',
    copyGroup: report.copyGroup ?? null,
    facts: factsOf(report.cells ?? [], report.corrections ?? {}),
    s3Failed: report.s3Failed ?? [],
    sourceAt: report.updatedAt ?? new Date(0),
  };
}

/** Reports read per round trip when many are refreshed (a backfill). */
const BATCH = 100;
const DUPLICATE_KEY = 11000;

/**
 * Rewrites the facts of the given reports from what is stored now; a report that is gone loses its
 * facts. Called after every write that changes what a query reads (save, reprocess, decision, S3
 * re-run, copy regrouping). Two refreshes racing cannot put an older reading over a newer one: the
 * write is conditional on the report's `updatedAt`, and a refused upsert (duplicate key) means a
 * newer derivation is already there.
 */
export async function refreshReportFacts(models: Models, sha256s: readonly string[]): Promise<void> {
  for (let start = 0; start < sha256s.length; start += BATCH) {
    const batch = sha256s.slice(start, start + BATCH);
    const reports = await models.Report.find({ sha256: { $in: batch } }, FIELDS).lean<ReportForFacts[]>();
    const found = new Set(reports.map((r) => r.sha256));
    const writes: AnyBulkWriteOperation<Document>[] = reports.map((report) => {
      const record = reportFactsOf(report);
      return {
        replaceOne: {
          filter: { sha256: report.sha256, sourceAt: { $lte: record.sourceAt } },
          replacement: record,
          upsert: true,
        },
      };
    });
    const gone = batch.filter((s) => !found.has(s));
    if (gone.length > 0) writes.push({ deleteMany: { filter: { sha256: { $in: gone } } } });
    if (writes.length === 0) continue;
    try {
      // The driver's bulkWrite: the records are already what the schema says (mongoose's casting of
      // 200 facts a report doubled a rebuild's cost).
      await models.ReportFacts.collection.bulkWrite(writes, { ordered: false });
    } catch (error) {
      const errors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
      if (!errors || errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    }
  }
}

/** Where the last full check of the facts is recorded (one small document). */
const STATE = { collection: 'docqmeta', id: 'reportfacts' } as const;
/** A gap between the counts soon after a full check is a report being saved: its facts follow. */
const RECHECK_MS = 10 * 60_000;

/**
 * Makes sure every report has its facts: a database written before this collection existed (or by an
 * older docq) has reports without. Cheap when nothing is missing (two counts from the catalog). When
 * the counts differ, the missing records are derived and records whose report is gone are dropped —
 * a full pass over the reports, so done at most every ten minutes: between a report's save and its
 * cross-report step the counts differ for a moment, and a query during an ingest must not pay a
 * pass each time. Run before every query that reads the facts, so no start-up step is needed and an
 * old database answers correctly at once.
 */
export async function ensureReportFacts(models: Models): Promise<{ rebuilt: number; dropped: number }> {
  const [reports, facts] = await Promise.all([
    models.Report.estimatedDocumentCount(),
    models.ReportFacts.estimatedDocumentCount(),
  ]);
  if (reports === facts) return { rebuilt: 0, dropped: 0 };
  const state = models.connection.collection<{ _id: string; checkedAt: Date }>(STATE.collection);
  const last = await state.findOne({ _id: STATE.id });
  if (last && Date.now() - last.checkedAt.getTime() < RECHECK_MS) return { rebuilt: 0, dropped: 0 };
  const checkedAt = new Date();
  const [held, derived] = await Promise.all([
    models.Report.find({}, { _id: 0, sha256: 1 }).lean<{ sha256: string }[]>(),
    models.ReportFacts.find({}, { _id: 0, sha256: 1 }).lean<{ sha256: string }[]>(),
  ]);
  const have = new Set(derived.map((r) => r.sha256));
  const exist = new Set(held.map((r) => r.sha256));
  const missing = [...exist].filter((s) => !have.has(s));
  const orphans = [...have].filter((s) => !exist.has(s));
  await refreshReportFacts(models, missing);
  if (orphans.length > 0) await models.ReportFacts.deleteMany({ sha256: { $in: orphans } });
  await state.updateOne({ _id: STATE.id }, { $set: { checkedAt } }, { upsert: true });
  return { rebuilt: missing.length, dropped: orphans.length };
}
