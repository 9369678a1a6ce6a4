import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_VERSION } from '../../core/version.js';
import { exportCells } from '../../exports/export-cells.js';
import { csvRows } from '../../exports/write-csv.js';
import { reportJson } from '../../exports/write-jsonl.js';
import { linkReport } from '../../models/cross-report.js';
import {
  exportReports,
  recordDecision,
  saveExtraction,
  snapshot,
  type ExportItem,
  type ExportOptions,
  type Models,
  type ReportRecord,
} from '../../models/index.js';
import { storedChecksHold } from '../../models/stored-checks.js';
import { buildYear, DEV, extractOnce } from '../cross-reports/timeline.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';

/**
 * Exports read what was stored for them (the failing checks apart, the stamp saying the stored checks
 * are what a re-check gives) instead of every check and a re-run of the rules. What they write must
 * be what the review snapshot (every stored check, the rules re-run) gives, cell for cell and check
 * for check: on real extractions, with decisions of each kind, S3 links that pass and fail, and on
 * reports stored before those fields existed or by another pipeline version.
 */
describe('exportReports: stored checks instead of a re-run, the same export', () => {
  let mongo: TestMongo;
  let models: Models;

  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
    const [b21, b22, e1, e2] = await Promise.all(
      ['synth-21x-0', 'synth-1-1', 'synth-1-2', 'synth-2019-2'].map((d) => extractOnce(`${DEV}/${d}/digital.pdf`)),
    );
    // Two years of one issuer whose carried-over link fails (S3 checks that pass and fail), and two
    // reports with injected errors.
    const y21 = buildYear({ base: b21!, year: 2021, issuer: '吴忠市盐池县人民政府' });
    const y22 = buildYear({
      base: b22!,
      year: 2022,
      issuer: '盐池县人民政府',
      set: {
        'applications.carried_over.total': (b21!.report?.cells['applications.carried_forward.total']?.value ?? 0) + 5,
      },
    });
    for (const doc of [y21, y22, e1!, e2!]) {
      await saveExtraction(models, doc, { source: { path: `/archive/${doc.sha256.slice(0, 8)}.pdf` } });
      await linkReport(models, doc.sha256);
    }
    const reports = await models.Report.find({}).sort({ sha256: 1 }).lean<ReportRecord[]>();
    expect(
      reports.flatMap((r) => r.checks as { rule: string; status: string }[]).filter((c) => c.rule === 'S3'),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'fail' }),
        expect.objectContaining({ status: 'pass' }),
      ]),
    );
    // Decisions: a correction, a confirmation and a printed-so on flagged cells of three reports,
    // and a metadata decision alone on the fourth (it changes no value the checks read).
    const flagged = reports.map((r) => ({ r, c: r.cells.find((c) => c.flags.length > 0) }));
    const decide = async (i: number, action: 'correct' | 'confirm' | 'printed-so'): Promise<void> => {
      const { r, c } = flagged[i]!;
      const value = action === 'correct' ? (c!.suggestion ?? (c!.value ?? 0) + 1) : c!.value;
      await recordDecision(models, { sha256: r.sha256, key: c!.key, action, value, old: c!.value, by: 'ann' });
    };
    await decide(0, 'correct');
    await decide(1, 'confirm');
    await decide(2, 'printed-so');
    await recordDecision(models, {
      sha256: reports[3]!.sha256,
      key: 'metadata.issuer',
      action: 'correct',
      value: '某县人民政府',
      old: reports[3]!.issuer,
      by: 'ann',
    });
  }, 240_000);
  afterAll(async () => mongo?.cleanup());

  async function all(options: ExportOptions): Promise<ExportItem[]> {
    const out: ExportItem[] = [];
    for await (const item of exportReports(models, {}, options)) out.push(item);
    return out;
  }

  /** The same documents as the review snapshot gives them: every stored check, the rules re-run. */
  async function reference(items: readonly ExportItem[]): Promise<ExportItem[]> {
    return Promise.all(
      items.map(async ({ document }) => {
        const report = await models.Report.findOne({ sha256: document.sha256 }, { _id: 0, sections: 0 }).lean();
        return { document, report: snapshot(document, report as ReportRecord) };
      }),
    );
  }

  async function expectSameExports(): Promise<void> {
    const full = await all({});
    const ref = await reference(full);
    expect(full).toHaveLength(4);
    full.forEach((item, i) => expect(reportJson(item)).toEqual(reportJson(ref[i]!)));
    const failed = await all({ checks: 'failed' });
    failed.forEach((item, i) => {
      const want = ref[i]!;
      expect(csvRows(item)).toEqual(csvRows(want));
      expect(exportCells(item)).toEqual(exportCells(want));
      expect(item.report!.checks).toEqual(want.report!.checks.filter((c) => c.status === 'fail'));
      expect(item.report!.unexplained).toEqual(want.report!.unexplained);
      expect(item.report!.open).toEqual(want.report!.open);
    });
  }

  it('writes what the snapshot gives, reading the stored checks where they hold', async () => {
    const reports = await models.Report.find({}).sort({ sha256: 1 }).lean<ReportRecord[]>();
    // Saved by this pipeline: the failing checks apart; the stored checks hold on the report with a
    // metadata decision only, not on those with a decided cell.
    for (const r of reports)
      expect(r.failedChecks).toEqual((r.checks as { status: string }[]).filter((c) => c.status === 'fail'));
    expect(reports.filter((r) => r.recheckStamp === PIPELINE_VERSION).length).toBeGreaterThan(0);
    const holding = reports.filter((r) => storedChecksHold(r));
    expect(holding.length).toBeGreaterThan(0);
    expect(holding.every((r) => Object.keys(r.corrections).every((k) => k.startsWith('metadata')))).toBe(true);
    await expectSameExports();
  });

  it('reports stored before the fields existed, or by another pipeline, are re-checked', async () => {
    await models.Report.updateMany({}, { $set: { recheckStamp: 'docq-0.0.0+older' } });
    await expectSameExports();
    await models.Report.collection.updateMany({}, { $unset: { failedChecks: '', recheckStamp: '' } });
    const old = await models.Report.collection.findOne({}, { projection: { failedChecks: 1, recheckStamp: 1 } });
    expect(old).not.toHaveProperty('failedChecks');
    await expectSameExports();
  });
});
