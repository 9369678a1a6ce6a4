import { COPY_FLAG } from './cross-flags.js';
import type { Models } from './models.js';
import { refreshStatus } from './refresh-status.js';
import { refreshReportFacts } from './report-facts.js';
import type { ReportCellRecord, ReportRecord } from './report.model.js';
export { COPY_FLAG } from './cross-flags.js';

/**
 * Copies of one report: a born-digital PDF and a scan of its printed, stamped version, two crawls
 * that differ in bytes. Documents of one issuer and year whose tables (nearly) agree are grouped;
 * the most trustworthy reading (text layer over OCR, then fewer flagged cells) is the primary and
 * carries the report's value; the others cross-verify it cell by cell.
 */

/** Share of compared cells that must agree for two documents to be copies (OCR misreads allowed). */
export const COPY_AGREEMENT = 0.9;
/** Fewer compared cells than this say nothing about the tables. */
const MIN_COMPARED = 20;
/** The doubts of a reading that an independent text-layer reading of the same value settles. */
const READING_DOUBTS: ReadonlySet<string> = new Set([
  'low-confidence',
  'unverified',
  'blank-among-zeros',
  'ambiguous-parse',
]);
/** Stored flag kinds of those doubts (core/flags/collect-flags.ts). */
const READING_DOUBT_KINDS: ReadonlySet<string> = new Set([
  'low-confidence',
  'unverified',
  'blank-cell',
  'ambiguous-parse',
]);
const READING_RANK: Readonly<Record<string, number>> = { 'text-layer': 0, mixed: 1, ocr: 2 };

type CopyFields = Pick<
  ReportRecord,
  'sha256' | 'issuerId' | 'reportYear' | 'cells' | 'flags' | 'reading' | 'copyGroup' | 'copyRole'
> & { copyCheck?: CopyCheck | null; updatedAt?: Date };

/** What cross-verification changed on a report, so that a re-run can undo it first (idempotence). */
interface CopyCheck {
  readonly cleared: { key: string; value: number | null; flags: string[]; records: unknown[] }[];
}

const FIELDS = {
  sha256: 1,
  issuerId: 1,
  reportYear: 1,
  cells: 1,
  flags: 1,
  reading: 1,
  copyGroup: 1,
  copyRole: 1,
  copyCheck: 1,
  updatedAt: 1,
} as const;

/** Cells both readings hold a value for, and how many agree. */
export function agreement(
  a: readonly ReportCellRecord[],
  b: readonly ReportCellRecord[],
): { compared: number; agreed: number } {
  const other = new Map(b.filter((c) => c.reason !== 'missing').map((c) => [c.key, c.value ?? 0]));
  let compared = 0;
  let agreed = 0;
  for (const cell of a) {
    if (cell.reason === 'missing' || !other.has(cell.key)) continue;
    compared++;
    if ((cell.value ?? 0) === other.get(cell.key)) agreed++;
  }
  return { compared, agreed };
}

export function areCopies(a: CopyFields, b: CopyFields): boolean {
  const { compared, agreed } = agreement(a.cells, b.cells);
  return compared >= MIN_COMPARED && agreed / compared >= COPY_AGREEMENT;
}

const flaggedCells = (r: CopyFields): number => r.cells.filter((c) => c.flags.length > 0).length;

/** Text layer over OCR, then fewer flagged cells, then the hash (a stable tie-break). */
function rank(a: CopyFields, b: CopyFields): number {
  return (
    (READING_RANK[a.reading ?? 'ocr'] ?? 2) - (READING_RANK[b.reading ?? 'ocr'] ?? 2) ||
    flaggedCells(a) - flaggedCells(b) ||
    (a.sha256 < b.sha256 ? -1 : 1)
  );
}

/** The report with what an earlier cross-verification did undone (when its values are unchanged). */
function restored(r: CopyFields): CopyFields {
  const cleared = new Map((r.copyCheck?.cleared ?? []).map((c) => [c.key, c]));
  const restoredRecords: unknown[] = [];
  const cells = r.cells.map((cell) => {
    const flags = cell.flags.filter((f) => f !== COPY_FLAG);
    const undo = cleared.get(cell.key);
    if (!undo || undo.value !== cell.value) return { ...cell, flags };
    restoredRecords.push(...undo.records);
    return { ...cell, flags: [...flags, ...undo.flags.filter((f) => !flags.includes(f))] };
  });
  const flags = [...(r.flags as { rule?: string }[]).filter((f) => f.rule !== 'copy'), ...restoredRecords];
  return { ...r, cells, flags, copyCheck: null };
}

/** Cross-verifies one member of a group against the primary: clears confirmed doubts, flags disagreement. */
function verify(
  member: CopyFields,
  primary: CopyFields,
): { cells: ReportCellRecord[]; flags: unknown[]; check: CopyCheck; disagreed: Map<string, string> } {
  const byKey = new Map(primary.cells.map((c) => [c.key, c]));
  const confirmer = primary.reading === 'text-layer';
  const cleared: CopyCheck['cleared'] = [];
  const added: unknown[] = [];
  const disagreed = new Map<string, string>();
  let flags = member.flags as { kind?: string; at?: { key?: string }; rule?: string }[];
  const cells = member.cells.map((cell) => {
    const other = byKey.get(cell.key);
    if (member.sha256 === primary.sha256 || !other || cell.reason === 'missing' || other.reason === 'missing')
      return cell;
    if ((cell.value ?? 0) === (other.value ?? 0)) {
      const doubts = cell.flags.filter((f) => READING_DOUBTS.has(f));
      if (!confirmer || member.reading === 'text-layer' || doubts.length === 0) return cell;
      const records = flags.filter((f) => f.at?.key === cell.key && READING_DOUBT_KINDS.has(f.kind ?? ''));
      flags = flags.filter((f) => !records.includes(f));
      cleared.push({ key: cell.key, value: cell.value, flags: doubts, records });
      return { ...cell, flags: cell.flags.filter((f) => !READING_DOUBTS.has(f)) };
    }
    added.push(
      copyFlag(
        cell.key,
        `${cell.value ?? 'blank'} here and ${other.value ?? 'blank'} in the ${primary.reading ?? ''} copy ${primary.sha256.slice(0, 12)}`,
      ),
    );
    disagreed.set(
      cell.key,
      `${other.value ?? 'blank'} here and ${cell.value ?? 'blank'} in the ${member.reading ?? ''} copy ${member.sha256.slice(0, 12)}`,
    );
    return { ...cell, flags: [...cell.flags, COPY_FLAG] };
  });
  return { cells, flags: [...flags, ...added], check: { cleared }, disagreed };
}

function copyFlag(key: string, readings: string): unknown {
  return {
    kind: 'text-table-mismatch',
    severity: 'warn',
    rule: 'copy',
    at: { key },
    message: `${key} reads ${readings}`,
  };
}

/**
 * Without a text layer no reading is trusted over another: a disagreement flags the primary's cell
 * too, with both readings.
 */
function flagPrimary(primary: CopyFields, disagreed: ReadonlyMap<string, string>): Pick<CopyFields, 'cells' | 'flags'> {
  if (primary.reading === 'text-layer' || disagreed.size === 0) return primary;
  return {
    cells: primary.cells.map((c) => (disagreed.has(c.key) ? { ...c, flags: [...c.flags, COPY_FLAG] } : c)),
    flags: [...primary.flags, ...[...disagreed].map(([key, readings]) => copyFlag(key, readings))],
  };
}

/**
 * Groups a report with its copies (same issuer and year, tables nearly agreeing), picks the primary
 * and cross-verifies every member against it. Idempotent: earlier effects are undone first. The
 * primary's own doubts stay (a copy that is a worse reading cannot vouch for it) unless it is
 * itself OCR and a text-layer member exists — then that member is the primary instead.
 * Returns the members (sha256), primary first; empty when the report stands alone.
 */
export async function groupCopies(models: Models, sha256: string): Promise<string[]> {
  const self = await models.Report.findOne({ sha256 }, FIELDS).lean<CopyFields>();
  if (!self || self.reportYear === null) return [];
  const sameYear = await models.Report.find(
    {
      reportYear: self.reportYear,
      sha256: { $ne: sha256 },
      ...(self.issuerId ? { issuerId: { $in: [self.issuerId, null] } } : {}),
    },
    FIELDS,
  )
    .limit(500)
    .lean<CopyFields[]>();
  // Members: this report, its copies, and the rest of the groups those copies already belong to.
  const direct = sameYear.filter((r) => areCopies(self, r));
  const groups = new Set(direct.map((r) => r.copyGroup).filter((g): g is string => !!g));
  const members = [
    self,
    ...sameYear.filter((r) => direct.includes(r) || (r.copyGroup !== null && groups.has(r.copyGroup ?? ''))),
  ].map(restored);
  const ordered = [...members].sort(rank);
  const primary = ordered[0]!;
  const group = members.length > 1 ? [...members].map((m) => m.sha256).sort()[0]! : null;
  const verified = ordered.map((member) => ({ member, ...verify(member, primary) }));
  const disagreed = new Map(verified.flatMap((v) => [...v.disagreed]));
  for (const { member, cells, flags, check } of verified) {
    const own =
      member.sha256 === primary.sha256 ? flagPrimary({ ...primary, cells, flags }, disagreed) : { cells, flags };
    // Written only over what was read: a save in between is followed by its own regrouping.
    await models.Report.updateOne(
      { sha256: member.sha256, ...(member.updatedAt ? { updatedAt: member.updatedAt } : {}) },
      {
        $set: {
          cells: own.cells,
          flags: own.flags,
          copyCheck: check.cleared.length > 0 ? check : null,
          copyGroup: group,
          copyRole: group === null ? null : member.sha256 === primary.sha256 ? 'primary' : 'copy',
        },
      },
    );
  }
  // Members of this report's former group that are no longer in it are regrouped among themselves.
  const left = sameYear.filter(
    (r) => self.copyGroup && r.copyGroup === self.copyGroup && !members.some((m) => m.sha256 === r.sha256),
  );
  for (const r of left)
    await models.Report.updateOne({ sha256: r.sha256 }, { $set: { copyGroup: null, copyRole: null } });
  for (const r of left) await groupCopies(models, r.sha256);
  // The members' facts follow their S3 re-run (cross-report.ts); those that left are counted again now.
  await refreshReportFacts(
    models,
    left.map((r) => r.sha256),
  );
  for (const m of ordered) await refreshStatus(models, m.sha256);
  return ordered.length > 1 ? ordered.map((m) => m.sha256) : [];
}
