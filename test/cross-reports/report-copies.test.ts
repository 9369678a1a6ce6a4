import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrEngine, extractDocument, type OcrEngine } from '../../core/index.js';
import type { Document, ReportCell } from '../../core/model/index.js';
import { aggregateByRegion, issuerSeries, listIssuers } from '../../models/archive-queries.js';
import { linkReport } from '../../models/cross-report.js';
import { saveExtraction, type Models } from '../../models/index.js';
import { COPY_FLAG } from '../../models/report-copies.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { DEV, extractOnce } from './timeline.js';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';

const KEY = 'applications.new_received.total';

/** The same OCR reading under another hash with one cell changed: a second scan of the same print. */
function rescan(doc: Document, key: string, change: (cell: ReportCell) => ReportCell): Document {
  const cells = { ...doc.report!.cells, [key]: change(doc.report!.cells[key]!) };
  const sha256 = createHash('sha256')
    .update(`${doc.sha256}:${key}:${JSON.stringify(cells[key])}`)
    .digest('hex');
  return { ...doc, sha256, report: { ...doc.report!, cells } };
}

describe('copies of one report: a born-digital PDF and a scan of it', () => {
  let mongo: TestMongo;
  let models: Models;
  let ocr: OcrEngine;
  let digital: Document;
  let scan: Document;

  beforeAll(async () => {
    mongo = await startTestMongo();
    models = mongo.db.models;
    ocr = await createOcrEngine();
    digital = await extractOnce(`${DEV}/synth-21x-0/digital.pdf`);
    // The one slow step of the file: a real OCR extraction of the scan (≈ 20–90 s).
    scan = await extractDocument({ bytes: await readFile(`${DEV}/synth-21x-0/scan-heavy.pdf`) }, { ocr });
  }, 600_000);
  afterAll(async () => {
    await ocr.terminate();
    await mongo.cleanup();
  });

  async function ingest(docs: readonly Document[]): Promise<void> {
    for (const doc of docs) {
      await saveExtraction(models, doc, { source: { path: `${doc.sha256.slice(0, 8)}.pdf` } });
      await linkReport(models, doc.sha256);
    }
  }
  const report = async (sha256: string) => (await models.Report.findOne({ sha256 }).lean())!;

  it('ingested together (scan first), they become one report with two copies; the text layer is the value', async () => {
    expect(scan.pages.every((p) => p.method === 'ocr')).toBe(true);
    await ingest([scan, digital]);
    const [d, s] = [await report(digital.sha256), await report(scan.sha256)];
    expect(d.copyGroup).not.toBeNull();
    expect(s.copyGroup).toBe(d.copyGroup);
    expect([d.copyRole, s.copyRole, d.reading, s.reading]).toEqual(['primary', 'copy', 'text-layer', 'ocr']);
    // Counted once: the issuer has one year, the series one point, the aggregate one report.
    const { issuers } = await listIssuers(models);
    expect(issuers).toEqual([expect.objectContaining({ issuerId: '640522:', years: [2021], documents: 2 })]);
    const series = await issuerSeries(models, '海原县人民政府', KEY);
    expect('points' in series && series.points.map((p) => p.sha256)).toEqual([digital.sha256]);
    const rows = await aggregateByRegion(models, KEY, ['province', 'year']);
    expect(rows).toEqual([
      expect.objectContaining({
        group: { province: '宁夏回族自治区', year: 2021 },
        reports: 1,
        total: digital.report!.cells[KEY]!.value,
      }),
    ]);
  }, 120_000);

  it('an OCR misread the text layer contradicts is flagged with both readings; an OCR doubt it confirms is cleared', async () => {
    const right = digital.report!.cells[KEY]!.value!;
    const misread = rescan(scan, KEY, (c) => ({ ...c, value: right + 10, raw: String(right + 10) }));
    const doubtKey = 'applications.granted.total';
    const doubted = rescan(scan, doubtKey, (c) => ({ ...c, flags: [...c.flags, 'low-confidence'], confidence: 0.4 }));
    expect(doubted.report!.cells[doubtKey]!.value).toBe(digital.report!.cells[doubtKey]!.value);
    await ingest([misread, doubted]);
    const m = await report(misread.sha256);
    expect(m.copyRole).toBe('copy');
    expect(m.cells.find((c) => c.key === KEY)?.flags).toContain(COPY_FLAG);
    const note = (m.flags as { rule?: string; message: string }[]).find((f) => f.rule === 'copy');
    expect(note?.message).toContain(`reads ${right + 10} here and ${right}`);
    expect((await models.Document.findOne({ sha256: misread.sha256 }).lean())!.status).toBe('needs_review');
    const d = await report(doubted.sha256);
    expect(d.cells.find((c) => c.key === doubtKey)?.flags).toEqual([]);
    // The primary is untouched by a worse reading.
    expect((await report(digital.sha256)).cells.find((c) => c.key === KEY)?.flags).toEqual([]);
    // A re-run undoes and redoes: the same state, the cleared doubt not restored, the flag not doubled.
    await linkReport(models, doubted.sha256);
    await linkReport(models, misread.sha256);
    expect((await report(doubted.sha256)).cells.find((c) => c.key === doubtKey)?.flags).toEqual([]);
    expect(
      (await report(misread.sha256)).cells.find((c) => c.key === KEY)?.flags.filter((f) => f === COPY_FLAG),
    ).toHaveLength(1);
    expect((await listIssuers(models)).issuers[0]).toMatchObject({ years: [2021], documents: 4 });
  }, 120_000);

  it('two scans that disagree: neither reading is trusted over the other, both cells are flagged', async () => {
    await Promise.all([models.Report.deleteMany({}), models.Document.deleteMany({})]);
    const right = digital.report!.cells[KEY]!.value!;
    const misread = rescan(scan, KEY, (c) => ({ ...c, value: right + 10, raw: String(right + 10) }));
    await ingest([misread, scan]);
    const both = await models.Report.find({}, { sha256: 1, copyRole: 1, cells: 1 }).lean();
    expect(both.map((r) => r.copyRole).sort()).toEqual(['copy', 'primary']);
    for (const r of both) expect(r.cells.find((c) => c.key === KEY)?.flags, r.copyRole ?? '').toContain(COPY_FLAG);
    // Once the born-digital copy arrives it is the primary and only the misread stays flagged.
    await ingest([digital]);
    expect((await report(scan.sha256)).cells.find((c) => c.key === KEY)?.flags).not.toContain(COPY_FLAG);
    expect((await report(misread.sha256)).cells.find((c) => c.key === KEY)?.flags).toContain(COPY_FLAG);
    expect((await report(digital.sha256)).copyRole).toBe('primary');
  }, 120_000);
});
