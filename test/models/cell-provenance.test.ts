import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cellProvenance,
  cellsWithProvenance,
  correctCell,
  encodeCellKey,
  recordDecision,
  saveExtraction,
} from '../../models/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { makeDocument, withFlaggedTotal } from './make-document.js';

const TOTAL = 'applications.new_received.total';
const PERSON = 'applications.new_received.natural_person';

describe('cell provenance (one function for the API and the exports)', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await startTestMongo();
  });
  afterAll(async () => mongo?.cleanup());

  it('says extracted / corrected (by, at, old) / confirmed / printed-inconsistent from the stored report and decisions', async () => {
    const models = mongo.db.models;
    const sha = 'c'.repeat(64);
    await saveExtraction(
      models,
      withFlaggedTotal(makeDocument({ sha256: sha, status: 'needs_review', value: 5 }), 8, ['check-failed:H3']),
    );
    const read = async () => (await models.Report.findOne({ sha256: sha }).lean())!;
    let report = await read();
    expect(cellProvenance(report, TOTAL)).toMatchObject({
      value: 8,
      state: 'flagged',
      open: true,
      provenance: { kind: 'extracted' },
    });
    expect(cellProvenance(report, PERSON)).toMatchObject({ value: 5, state: 'trusted', open: false });
    expect(cellProvenance(report, 'applications.nope.total')).toBeNull();

    await correctCell(models, { sha256: sha, key: TOTAL, value: 5, by: 'ann' });
    report = await read();
    const corrected = cellProvenance(report, TOTAL)!;
    expect(corrected).toMatchObject({ value: 5, extracted: 8, state: 'corrected', open: false });
    expect(corrected.provenance).toMatchObject({ kind: 'corrected', by: 'ann', old: 8 });
    expect(corrected.provenance.at).toBeInstanceOf(Date);

    await recordDecision(models, { sha256: sha, key: PERSON, action: 'printed-so', value: 5, old: 5, by: 'bo' });
    report = await read();
    expect(cellProvenance(report, PERSON)).toMatchObject({
      state: 'printed-inconsistent',
      provenance: { kind: 'printed-inconsistent', by: 'bo' },
    });

    // A record of the old route (no action) that kept the extracted value counts as confirmed.
    await models.Report.updateOne(
      { sha256: sha },
      { $set: { [`corrections.${encodeCellKey(TOTAL)}`]: { key: TOTAL, value: 8, old: 8, by: 'cy', at: new Date() } } },
    );
    report = await read();
    expect(cellProvenance(report, TOTAL)).toMatchObject({
      state: 'confirmed',
      provenance: { kind: 'confirmed', by: 'cy' },
    });
    expect(cellsWithProvenance(report).map((c) => c.state)).toEqual(
      report.cells.map((c) => cellProvenance(report, c.key)!.state),
    );
  });
});
