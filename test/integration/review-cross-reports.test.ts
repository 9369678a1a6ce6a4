import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectFlags } from '../../core/flags/collect-flags.js';
import type { Document } from '../../core/model/index.js';
import { readMetadata } from '../../core/report/read-metadata.js';
import { linkReport } from '../../models/cross-report.js';
import { S3_FLAG } from '../../models/cross-flags.js';
import { applyDecision, loadReview, saveExtraction, type Models, type ReviewSnapshot } from '../../models/index.js';
import { COPY_FLAG } from '../../models/report-copies.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { buildYear, DEV, extractOnce } from '../cross-reports/timeline.js';

/**
 * The cross-report step (S3 across years, metadata doubts, copies) as the review workbench sees it:
 * the document view, its open items and the queue's flagsLeft agree, decisions clear them, and a
 * re-check with human values neither drops nor doubles the stored S3 links.
 */
const CARRIED = 'applications.carried_over.total';
const FORWARD = 'applications.carried_forward.total';

const value = (doc: Document, key: string): number => doc.report?.cells[key]?.value ?? 0;

describe('cross-report checks in the review view (real extraction, embedded database)', () => {
  let mongo: TestMongo;
  let models: Models;
  let y21: Document;
  let y22: Document;

  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
    const [b21, b22] = await Promise.all(
      ['synth-21x-0', 'synth-1-1'].map((d) => extractOnce(`${DEV}/${d}/digital.pdf`)),
    );
    y21 = buildYear({ base: b21!, year: 2021, issuer: '盐池县人民政府' });
    // 2022 carries over five more than 2021 carried forward: a strong S3 link fails.
    y22 = buildYear({ base: b22!, year: 2022, issuer: '盐池县人民政府', set: { [CARRIED]: value(y21, FORWARD) + 5 } });
  }, 300_000);
  afterAll(async () => mongo.cleanup());
  beforeEach(async () => {
    await Promise.all([models.Report.deleteMany({}), models.Document.deleteMany({}), models.Correction.deleteMany({})]);
  });

  async function ingest(docs: readonly Document[]): Promise<void> {
    for (const doc of docs) {
      await saveExtraction(models, doc, { source: { path: `${doc.sha256.slice(0, 8)}.pdf` } });
      await linkReport(models, doc.sha256);
    }
  }
  async function view(sha256: string): Promise<ReviewSnapshot> {
    const state = await loadReview(models, sha256);
    if ('code' in state) throw new Error(state.message);
    return state;
  }
  const flagsLeft = async (sha256: string): Promise<number | undefined> =>
    (await models.Document.findOne({ sha256 }, { flagsLeft: 1 }).lean())?.flagsLeft;
  const s3Scopes = (state: ReviewSnapshot): string[] => state.checks.filter((c) => c.rule === 'S3').map((c) => c.scope);

  it('a failed S3 link shows among the checks and in flagsLeft; a decision settles it on both sides, once', async () => {
    await ingest([y21, y22]);
    const before = await view(y22.sha256);
    const failed = before.checks.filter((c) => c.rule === 'S3' && c.status === 'fail');
    expect(failed.map((c) => c.keys)).toContainEqual([CARRIED]);
    expect(before.open).toContain(CARRIED);
    expect(before.cells.find((c) => c.key === CARRIED)?.flags).toContain(S3_FLAG);
    expect(await flagsLeft(y22.sha256)).toBe(before.open.length);
    const neighbour = await view(y21.sha256);
    expect(neighbour.open).toContain(FORWARD);
    expect(await flagsLeft(y21.sha256)).toBe(neighbour.open.length);
    const scopes = s3Scopes(before);
    expect(new Set(scopes).size).toBe(scopes.length);

    // 2021 printed it so: the person's decision on one side settles the link for both.
    const after = await applyDecision(models, { sha256: y21.sha256, key: FORWARD, action: 'confirm', by: 'reviewer' });
    if ('code' in after) throw new Error(after.message);
    expect(after.open).not.toContain(FORWARD);
    const other = await view(y22.sha256);
    expect(other.open).not.toContain(CARRIED);
    expect(other.open.length).toBe(before.open.length - 1);
    expect(await flagsLeft(y22.sha256)).toBe(other.open.length);
    expect(await flagsLeft(y21.sha256)).toBe(after.open.length);
    // The re-check with the human value keeps every S3 link exactly once, now settled.
    expect(s3Scopes(other).sort()).toEqual([...scopes].sort());
    expect(other.checks.find((c) => c.rule === 'S3' && c.keys.includes(CARRIED))).toMatchObject({
      status: 'fail',
      settled: true,
    });
  });

  it('an OCR-misread issuer (吉池县 for 盐池县) is a reviewable metadata flag in flagsLeft, cleared by a decision', async () => {
    const garbled = readMetadata(
      [
        '吉池县人民政府2021年政府信息公开工作年度报告',
        '本报告统计数据从 2021 年 1 月 1 日至 12 月 31 日。如有疑问，请与盐池县人民政府办公室联系。',
        '盐池县人民政府',
        '2022年1月27日',
      ].join('\n'),
    );
    const report = { ...y21.report!, metadata: { ...y21.report!.metadata, ...garbled, reportYear: 2021 } };
    const doc: Document = {
      ...y21,
      sha256: 'f'.repeat(64),
      report,
      flags: [...y21.flags.filter((f) => f.kind !== 'metadata-uncertain'), ...collectFlags([], [], report, [])],
    };
    await ingest([doc]);
    const before = await view(doc.sha256);
    const issuer = before.metadata.find((m) => m.field === 'issuer')!;
    expect(issuer.decided.value).toBe('吉池县人民政府');
    expect(issuer.confidence).toBeLessThan(0.8);
    expect(issuer.flags.map((f) => f.kind)).toEqual(['metadata-uncertain']);
    expect(before.open).toContain('metadata.issuer');
    expect(await flagsLeft(doc.sha256)).toBe(before.open.length);

    const after = await applyDecision(models, {
      sha256: doc.sha256,
      key: 'metadata.issuer',
      action: 'correct',
      value: '盐池县人民政府',
      by: 'reviewer',
    });
    if ('code' in after) throw new Error(after.message);
    expect(after.metadata.find((m) => m.field === 'issuer')?.decided).toMatchObject({
      value: '盐池县人民政府',
      open: false,
    });
    expect(after.open).toEqual(before.open.filter((k) => k !== 'metadata.issuer'));
    expect(await flagsLeft(doc.sha256)).toBe(after.open.length);
  });

  it('a copy of a report is not counted twice: its S3 links and doubts are its primary’s, only disagreements are open', async () => {
    const copy = buildYear({
      base: y22,
      year: 2022,
      issuer: '盐池县人民政府',
      variant: 'second crawl',
      set: { 'applications.new_received.natural_person': value(y22, 'applications.new_received.natural_person') + 1 },
    });
    await ingest([y21, y22, copy]);
    const roles = await models.Report.find({}, { sha256: 1, copyRole: 1 }).lean();
    const primary = roles.find((r) => r.copyRole === 'primary')!.sha256;
    const second = roles.find((r) => r.copyRole === 'copy')!.sha256;
    expect([primary, second].sort()).toEqual([y22.sha256, copy.sha256].sort());

    const p = await view(primary);
    const c = await view(second);
    expect(p.open).toContain(CARRIED);
    expect(c.checks.filter((k) => k.rule === 'S3')).toEqual([]);
    expect(c.cells.find((k) => k.key === CARRIED)?.flags).not.toContain(S3_FLAG);
    // The copy asks only about the cell it reads differently.
    expect(c.open).toEqual(['applications.new_received.natural_person']);
    expect(c.cells.find((k) => k.key === 'applications.new_received.natural_person')?.flags).toContain(COPY_FLAG);
    expect(await flagsLeft(second)).toBe(1);
    expect(await flagsLeft(primary)).toBe(p.open.length);
    // 2021 links to the primary only: one S3 check per link, not one per copy.
    const s21 = s3Scopes(await view(y21.sha256));
    expect(new Set(s21).size).toBe(s21.length);
  });

  it('two readings without a text layer that disagree: the doubt is open once, on the primary', async () => {
    const key = 'applications.new_received.natural_person';
    const copy = buildYear({
      base: y22,
      year: 2022,
      issuer: '盐池县人民政府',
      variant: 'second scan',
      set: { [key]: value(y22, key) + 1 },
    });
    for (const doc of [y22, copy]) {
      await saveExtraction(models, doc, { source: { path: `${doc.sha256.slice(0, 8)}.pdf` } });
      // Read as scans: no reading is trusted over the other.
      const { summary } = (await models.Document.findOne({ sha256: doc.sha256 }).lean())!;
      await models.Document.updateOne({ sha256: doc.sha256 }, { $set: { 'summary.pagesOcr': summary.pages } });
    }
    for (const doc of [y22, copy]) await linkReport(models, doc.sha256);
    const roles = await models.Report.find({}, { sha256: 1, copyRole: 1, cells: 1 }).lean();
    for (const r of roles) expect(r.cells.find((c) => c.key === key)?.flags).toContain(COPY_FLAG);
    const primary = roles.find((r) => r.copyRole === 'primary')!.sha256;
    const second = roles.find((r) => r.copyRole === 'copy')!.sha256;
    expect((await view(primary)).open).toContain(key);
    expect((await view(second)).open).toEqual([]);
    expect(await flagsLeft(second)).toBe(0);
  });
});
