import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../core/model/index.js';
import { aggregateByRegion, issuerSeries, listIssuers } from '../../models/archive-queries.js';
import { linkReport } from '../../models/cross-report.js';
import { correctCell, refreshReportFacts, saveExtraction, type Models } from '../../models/index.js';
import { toReportFields } from '../../models/to-records.js';
import { finishDocument } from '../../workers/finish-document.js';
import type { ExtractJob, JobContext } from '../../workers/job-context.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { buildYear, DEV, extractOnce } from './timeline.js';

const KEY = 'applications.new_received.total';
const ISSUER = '海原县人民政府';
const PROVINCE = '宁夏回族自治区';

/**
 * The archive's totals and series read a small facts record per report (models/report-facts.ts):
 * every write that changes a number, its state or whether the report counts must reach it, and a
 * database saved before the records existed must answer the same.
 */
describe('report facts: what the archive queries read, kept in step with the reports', () => {
  let mongo: TestMongo;
  let models: Models;
  let base: Document;

  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
    base = await extractOnce(`${DEV}/synth-21x-0/digital.pdf`);
  }, 120_000);
  afterAll(async () => {
    await mongo?.cleanup();
  });

  async function ingest(doc: Document): Promise<void> {
    await saveExtraction(models, doc, { source: { path: `${doc.sha256.slice(0, 8)}.pdf` } });
    await linkReport(models, doc.sha256);
  }
  const year = (y: number, value: number, variant?: string): Document =>
    buildYear({ base, year: y, issuer: ISSUER, set: { [KEY]: value }, ...(variant ? { variant } : {}) });
  const totals = async () =>
    (await aggregateByRegion(models, KEY, ['province', 'year'])).map((r) => [
      r.group.year,
      r.total,
      r.reports,
      r.corrected,
    ]);

  it('a decision changes the total; a second copy of a report does not count twice', async () => {
    const y21 = year(2021, 40);
    await ingest(y21);
    expect(await totals()).toEqual([[2021, 40, 1, 0]]);
    await correctCell(models, { sha256: y21.sha256, key: KEY, value: 45, by: 'ann' });
    expect(await totals()).toEqual([[2021, 45, 1, 1]]);
    const series = await issuerSeries(models, ISSUER, KEY);
    expect('points' in series && series.points.map((p) => [p.value, p.extracted, p.reviewedBy])).toEqual([
      [45, 40, 'ann'],
    ]);
    // The same report again under another hash (a second crawl): grouped as a copy, counted once.
    const copy = year(2021, 40, 'second crawl');
    await ingest(copy);
    expect((await models.Report.findOne({ sha256: copy.sha256 }).lean())?.copyRole).toBe('copy');
    expect((await models.ReportFacts.findOne({ sha256: copy.sha256 }).lean())?.counted).toBe(false);
    expect(await totals()).toEqual([[2021, 45, 1, 1]]);
    expect((await listIssuers(models)).issuers).toEqual([
      expect.objectContaining({ issuerId: '640522:', years: [2021], documents: 2 }),
    ]);
  });

  it('a reprocess with another reading replaces the number; a failed reprocess takes it out', async () => {
    const y22 = year(2022, 7);
    await ingest(y22);
    expect((await totals()).find((t) => t[0] === 2022)).toEqual([2022, 7, 1, 0]);
    // Reprocessed by a newer pipeline that reads 9: the same document, its new cells.
    const cells = { ...y22.report!.cells, [KEY]: { ...y22.report!.cells[KEY]!, value: 9, raw: '9' } };
    await ingest({ ...y22, report: { ...y22.report!, cells } });
    expect((await totals()).find((t) => t[0] === 2022)).toEqual([2022, 9, 1, 0]);
    // The next pass fails (the file now unreadable): the worker's save keeps the record without cells.
    const failed: Document = {
      ...y22,
      status: 'failed',
      report: undefined,
      error: { code: 'CORRUPT', message: 'unreadable', stage: 'intake' },
    } as Document;
    const job = { attemptsMade: 0, log: () => undefined } as unknown as ExtractJob;
    await expect(
      finishDocument(job, { sha256: y22.sha256, path: 'y22.pdf' } as never, failed, { models } as JobContext, 0, {
        children: 0,
      }),
    ).rejects.toThrow(/CORRUPT/);
    expect((await totals()).find((t) => t[0] === 2022)).toBeUndefined();
  });

  it('an older derivation never overwrites a newer one', async () => {
    const y23 = year(2023, 11);
    await ingest(y23);
    // A refresh that read the report before a later write landed: its record is older than the stored one.
    const later = new Date(Date.now() + 60_000);
    await models.ReportFacts.updateOne(
      { sha256: y23.sha256 },
      { $set: { sourceAt: later, 'facts.applications.new_received.total.v': 12 } },
    );
    await refreshReportFacts(models, [y23.sha256]);
    const kept = await models.ReportFacts.findOne({ sha256: y23.sha256 }).lean();
    expect(kept?.sourceAt).toEqual(later);
    expect((await totals()).find((t) => t[0] === 2023)).toEqual([2023, 12, 1, 0]);
  });

  it('a database saved before the facts existed is read right: missing facts are derived, stray ones dropped', async () => {
    // What an older docq left: reports, no facts, no record of a facts check.
    await Promise.all([
      models.Report.deleteMany({}),
      models.ReportFacts.deleteMany({}),
      models.connection.collection('docqmeta').deleteMany({}),
    ]);
    // Reports as the previous version stored them: no facts record, totals on the report itself.
    const old = [year(2019, 5), year(2020, 6), year(2020, 6, 'scan of 2020')];
    const stored = old.map((doc, i) => ({
      ...toReportFields(doc)!,
      issuerId: '640522:',
      region: { code: '640522', province: PROVINCE, city: '中卫市', county: '海原县', town: null },
      reading: 'text-layer',
      copyGroup: i === 0 ? null : 'g2020',
      copyRole: i === 0 ? null : i === 1 ? 'primary' : 'copy',
      corrections: i === 0 ? { [KEY.replaceAll('.', ':')]: { key: KEY, value: 8, by: 'bo', at: new Date() } } : {},
      facts: { [KEY.replaceAll('.', ':')]: { v: 999, f: 0, c: 1 } },
      updatedAt: new Date(),
    }));
    await models.Report.collection.insertMany(stored);
    expect(await models.ReportFacts.countDocuments()).toBe(0);
    expect(await totals()).toEqual([
      [2019, 8, 1, 1],
      [2020, 6, 1, 0],
    ]);
    expect(await models.ReportFacts.countDocuments()).toBe(3);
    const series = await issuerSeries(models, ISSUER, KEY);
    expect('points' in series && series.points.map((p) => [p.year, p.value])).toEqual([
      [2019, 8],
      [2020, 6],
    ]);
    // A report removed behind the facts' back (a hand-cleaned database): its facts go at the next
    // full check, which runs at most every ten minutes (a gap is mostly a report being saved).
    await models.Report.deleteOne({ sha256: old[0]!.sha256 });
    await models.connection
      .collection<{ _id: string }>('docqmeta')
      .updateOne({ _id: 'reportfacts' }, { $set: { checkedAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await totals()).toEqual([[2020, 6, 1, 0]]);
    expect(await models.ReportFacts.countDocuments()).toBe(2);
  });
});
