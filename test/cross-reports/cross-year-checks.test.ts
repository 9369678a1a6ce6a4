import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Document } from '../../core/model/index.js';
import { T3_COLUMNS } from '../../core/report/schema.js';
import { S3_FLAG, type StoredS3Check } from '../../models/cross-year-checks.js';
import { linkReport } from '../../models/cross-report.js';
import { correctCell, issuerSeries, saveExtraction, type Models } from '../../models/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { buildYear, DEV, extractOnce } from './timeline.js';

const COLUMNS = T3_COLUMNS;
const V2019_ITEMS = ['admin_licensing', 'other_external_services', 'admin_penalty', 'admin_compulsion', 'admin_fees'];

const value = (doc: Document, key: string): number => doc.report?.cells[key]?.value ?? 0;

/** The cells of year Y−1 set so that every S3 rule holds against year Y's base values. */
function linksTo(prev: Document, cur: Document): Record<string, number> {
  const set: Record<string, number> = {};
  for (const c of COLUMNS) set[`applications.carried_forward.${c}`] = value(cur, `applications.carried_over.${c}`);
  return set;
}

describe('rule S3 across the years of one issuer (adapter layer, real database)', () => {
  let mongo: TestMongo;
  let models: Models;
  /** 2019, 2020 (v2019), 2021, 2022 (v2021) of 盐池县人民政府, printed four ways; every link holds. */
  let timeline: Document[];

  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
    const [b19, b20, b21, b22] = await Promise.all(
      ['synth-2019-0', 'synth-2019-1', 'synth-21x-0', 'synth-1-1'].map((d) => extractOnce(`${DEV}/${d}/digital.pdf`)),
    );
    const y22 = buildYear({
      base: b22!,
      year: 2022,
      issuer: '盐池县 人民政府',
      set: {
        'active_disclosure.normative_docs.in_force':
          value(b21!, 'active_disclosure.normative_docs.in_force') +
          value(b22!, 'active_disclosure.normative_docs.issued') -
          value(b22!, 'active_disclosure.normative_docs.repealed'),
        'active_disclosure.regulations.in_force':
          value(b21!, 'active_disclosure.regulations.in_force') +
          value(b22!, 'active_disclosure.regulations.issued') -
          value(b22!, 'active_disclosure.regulations.repealed'),
      },
    });
    const y21 = buildYear({ base: b21!, year: 2021, issuer: '吴忠市盐池县人民政府', set: linksTo(b21!, y22) });
    const y20 = buildYear({
      base: b20!,
      year: 2020,
      issuer: '宁夏回族自治区盐池县人民政府办公室',
      set: linksTo(b20!, y21),
    });
    const prevItems: Record<string, number> = {};
    for (const item of V2019_ITEMS)
      prevItems[`active_disclosure.${item}.prev_year_items`] =
        value(y20, `active_disclosure.${item}.prev_year_items`) - value(b19!, `active_disclosure.${item}.items_change`);
    const y19 = buildYear({
      base: b19!,
      year: 2019,
      issuer: '盐池县人民政府',
      set: { ...linksTo(b19!, y20), ...prevItems },
    });
    timeline = [y19, y20, y21, y22];
  });
  afterAll(async () => mongo.cleanup());
  beforeEach(async () => {
    await Promise.all([models.Report.deleteMany({}), models.Document.deleteMany({}), models.Correction.deleteMany({})]);
  });

  async function ingest(docs: readonly Document[]): Promise<void> {
    for (const doc of docs) {
      await saveExtraction(models, doc, { source: { path: `${doc.report?.metadata.reportYear}.pdf` } });
      await linkReport(models, doc.sha256);
    }
  }
  async function s3(sha256: string): Promise<StoredS3Check[]> {
    const report = await models.Report.findOne({ sha256 }, { checks: 1 }).lean();
    return (report!.checks as StoredS3Check[]).filter((c) => c.rule === 'S3');
  }
  const flaggedKeys = async (sha256: string): Promise<string[]> =>
    (await models.Report.findOne({ sha256 }).lean())!.cells.filter((c) => c.flags.includes(S3_FLAG)).map((c) => c.key);
  const status = async (sha256: string): Promise<string> => (await models.Document.findOne({ sha256 }).lean())!.status;

  it('consecutive reports that agree: every link holds; the 2020 → 2021 template change runs only carried_over', async () => {
    await ingest(timeline);
    const ids = new Set((await models.Report.find({}, { issuerId: 1 }).lean()).map((r) => r.issuerId));
    expect([...ids]).toEqual(['640323:']);
    const [y19, y20, y21, y22] = timeline.map((d) => d.sha256) as [string, string, string, string];
    for (const sha of [y19, y20, y21, y22]) expect((await s3(sha)).filter((c) => c.status === 'fail')).toEqual([]);
    const into20 = (await s3(y20)).filter((c) => c.other.year === 2019).map((c) => c.scope.split(' ')[0]);
    expect(into20).toEqual(expect.arrayContaining(['carried_over.total', 'admin_licensing.prev_year_items']));
    const into21 = (await s3(y21)).filter((c) => c.other.year === 2020);
    expect(into21.map((c) => c.scope.split(' ')[0]).sort()).toEqual(COLUMNS.map((c) => `carried_over.${c}`).sort());
    const into22 = (await s3(y22)).filter((c) => c.other.year === 2021).map((c) => c.scope.split(' ')[0]);
    expect(into22).toEqual(
      expect.arrayContaining(['normative_docs.in_force', 'regulations.in_force', 'carried_over.total']),
    );
    // Each link is on both reports: 2021 holds its side of the link into 2022.
    expect((await s3(y21)).filter((c) => c.other.sha256 === y22)).toHaveLength(into22.length);
  });

  it('a carried-over link that fails flags the cells on both reports; a restated in_force chain is a note', async () => {
    const [, , y21, y22] = timeline as [Document, Document, Document, Document];
    const restated = buildYear({
      base: y22,
      year: 2022,
      issuer: '盐池县人民政府',
      variant: 'restated',
      set: {
        'applications.carried_over.total': value(y21, 'applications.carried_forward.total') + 5,
        'active_disclosure.normative_docs.in_force': value(y22, 'active_disclosure.normative_docs.in_force') + 7,
      },
    });
    await ingest([y21, restated]);
    const failed = (await s3(restated.sha256)).filter((c) => c.status === 'fail');
    expect(failed.map((c) => [c.scope.split(' ')[0], c.strength]).sort()).toEqual([
      ['carried_over.total', 'strong'],
      ['normative_docs.in_force', 'note'],
    ]);
    const link = failed.find((c) => c.strength === 'strong')!;
    expect(link.other).toEqual({ sha256: y21.sha256, year: 2021, keys: ['applications.carried_forward.total'] });
    expect(await flaggedKeys(restated.sha256)).toEqual(['applications.carried_over.total']);
    expect(await flaggedKeys(y21.sha256)).toEqual(['applications.carried_forward.total']);
    const other = (await models.Report.findOne({ sha256: y21.sha256 }).lean())!.flags as {
      rule?: string;
      message: string;
    }[];
    expect(other.find((f) => f.rule === 'S3')?.message).toContain(restated.sha256.slice(0, 12));
    expect(await status(restated.sha256)).toBe('needs_review');
    expect(await status(y21.sha256)).toBe('needs_review');
    const series = await issuerSeries(models, '盐池县', 'applications.carried_over.total');
    expect('points' in series && series.points.find((p) => p.year === 2022)?.links).toEqual([
      expect.objectContaining({ status: 'fail', strength: 'strong', other: link.other }),
    ]);

    // A person decides on either side (here: 2021 printed so): the link is settled, both sides clear.
    await correctCell(models, {
      sha256: y21.sha256,
      key: 'applications.carried_forward.total',
      value: value(y21, 'applications.carried_forward.total'),
      by: 'reviewer',
    });
    await linkReport(models, y21.sha256);
    expect(await flaggedKeys(restated.sha256)).toEqual([]);
    expect(await flaggedKeys(y21.sha256)).toEqual([]);
    expect((await s3(restated.sha256)).find((c) => c.scope.startsWith('carried_over.total'))).toMatchObject({
      status: 'fail',
      settled: true,
    });
    expect(await status(restated.sha256)).toBe('done');
  });

  it('order of arrival does not change the result', async () => {
    const normalise = async (): Promise<unknown> => {
      const out: Record<string, unknown> = {};
      for (const d of timeline)
        out[d.sha256] = {
          checks: (await s3(d.sha256)).map((c) => JSON.stringify(c)).sort(),
          flagged: await flaggedKeys(d.sha256),
        };
      return out;
    };
    await ingest(timeline);
    const forward = await normalise();
    await Promise.all([models.Report.deleteMany({}), models.Document.deleteMany({})]);
    await ingest([timeline[3]!, timeline[1]!, timeline[0]!, timeline[2]!]);
    expect(await normalise()).toEqual(forward);
  });

  it('reprocessing one year re-runs its neighbours once, and a re-run changes nothing', async () => {
    await ingest(timeline);
    const runs = async (): Promise<number[]> =>
      Promise.all(
        timeline.map(async (d) => (await models.Report.findOne({ sha256: d.sha256 }).lean())!.crossYear?.runs ?? 0),
      );
    const before = await runs();
    const checksBefore = await Promise.all(timeline.map((d) => s3(d.sha256)));
    await saveExtraction(models, timeline[2]!, { source: { path: '2021.pdf' } });
    const result = await linkReport(models, timeline[2]!.sha256);
    expect(result.rerun.sort()).toEqual([timeline[1]!.sha256, timeline[2]!.sha256, timeline[3]!.sha256].sort());
    const after = await runs();
    expect(after.map((n, i) => n - before[i]!)).toEqual([0, 1, 1, 1]);
    expect(await Promise.all(timeline.map((d) => s3(d.sha256)))).toEqual(checksBefore);
  });
});
