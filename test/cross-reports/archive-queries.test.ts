import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/build-api.js';
import type { Document } from '../../core/model/index.js';
import { linkReport } from '../../models/cross-report.js';
import { addUser, correctCell, saveExtraction, type Models } from '../../models/index.js';
import { createExtractQueue, type ExtractQueue } from '../../queue/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { buildYear, extractOnce, REAL } from './timeline.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../cli/docq.ts');
const KEY = 'applications.new_received.total';

describe('queries over the archive: the real 淮安 reports (洪泽区 2023 and 2024, 淮安市 2024)', () => {
  let redis: TestRedis;
  let mongo: TestMongo;
  let models: Models;
  let queue: ExtractQueue;
  let docs: { hz23: Document; hz24: Document; city24: Document };

  beforeAll(async () => {
    [redis, mongo] = await Promise.all([startTestRedis(), startTestMongo()]);
    models = mongo.db.models;
    queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    const [hz23, hz24, city24] = await Promise.all(
      ['huaian_hongze_2023', 'huaian_hongze_2024', 'huaian_city_2024'].map((f) =>
        extractOnce(`${REAL}/${f}_gov_info_disclosure_annual_report.pdf`),
      ),
    );
    docs = { hz23: hz23!, hz24: hz24!, city24: city24! };
    for (const doc of [city24!, hz24!, hz23!]) {
      await saveExtraction(models, doc, { source: { path: `${doc.sha256.slice(0, 8)}.pdf` } });
      await linkReport(models, doc.sha256);
    }
  }, 120_000);
  afterAll(async () => {
    await queue?.close();
    await mongo?.cleanup();
    await redis?.cleanup();
  });

  const value = (doc: Document, key = KEY): number => doc.report!.cells[key]!.value ?? 0;

  it('GET /series: one issuer year by year under any printed form of its name, with the S3 links', async () => {
    const app = buildApi({ models, queue });
    for (const issuer of ['洪泽区', '淮安市洪泽区人民政府', '320813:']) {
      const res = await app.inject({ method: 'GET', url: `/series?issuer=${encodeURIComponent(issuer)}&key=${KEY}` });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { issuerId: string; points: { year: number; value: number; sha256: string }[] };
      expect(body.issuerId).toBe('320813:');
      expect(body.points.map((p) => [p.year, p.value, p.sha256])).toEqual([
        [2023, value(docs.hz23), docs.hz23.sha256],
        [2024, value(docs.hz24), docs.hz24.sha256],
      ]);
    }
    const carried = await app.inject({
      method: 'GET',
      url: `/series?issuer=洪泽区&key=applications.carried_over.total`,
    });
    const points = (
      carried.json() as { points: { year: number; links: { status: string; other: { year: number } }[] }[] }
    ).points;
    // The real pair's links all hold: no failed link on the series.
    expect(points.map((p) => p.links)).toEqual([[], []]);
    expect(
      (await app.inject({ method: 'GET', url: `/series?issuer=${encodeURIComponent('红土代区')}&key=${KEY}` }))
        .statusCode,
    ).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/series?issuer=x&key=bad key` })).statusCode).toBe(400);
  });

  it('GET /aggregate: totals by province and year, saying how many numbers are flagged or corrected', async () => {
    const app = buildApi({ models, queue });
    const get = async () =>
      (await app.inject({ method: 'GET', url: `/aggregate?key=${KEY}&by=province,year` })).json() as {
        rows: { group: Record<string, unknown>; total: number; reports: number; flagged: number; corrected: number }[];
      };
    const flagged = (doc: Document): number => (doc.report!.cells[KEY]!.flags.length > 0 ? 1 : 0);
    expect((await get()).rows).toEqual([
      expect.objectContaining({
        group: { province: '江苏省', year: 2023 },
        total: value(docs.hz23),
        reports: 1,
        flagged: flagged(docs.hz23),
        corrected: 0,
      }),
      expect.objectContaining({
        group: { province: '江苏省', year: 2024 },
        total: value(docs.hz24) + value(docs.city24),
        reports: 2,
        flagged: flagged(docs.hz24) + flagged(docs.city24),
      }),
    ]);
    // A person's correction goes into the total, and the total says a number in it was corrected.
    // Writes need a reviewer's token, and the hard rules hold a correction to the values it sums into
    // (H3 the row total, H2 carried forward): one batch of decisions checked together.
    const ann = await addUser(models, 'ann', 'reviewer');
    if ('code' in ann) throw new Error(ann.message);
    const plus100 = (key: string) => ({
      key,
      action: 'correct',
      value: (docs.hz24.report!.cells[key]!.value ?? 0) + 100,
    });
    const corrected = await app.inject({
      method: 'POST',
      url: `/documents/${docs.hz24.sha256}/decisions`,
      headers: { authorization: `Bearer ${ann.token}` },
      payload: {
        decisions: ['new_received', 'carried_forward'].flatMap((row) =>
          ['natural_person', 'total'].map((c) => plus100(`applications.${row}.${c}`)),
        ),
      },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = (await get()).rows.find((r) => r.group['year'] === 2024)!;
    expect(after).toMatchObject({ total: value(docs.hz24) + 100 + value(docs.city24), corrected: 1 });
    expect((await app.inject({ method: 'GET', url: `/aggregate?key=${KEY}&by=planet` })).statusCode).toBe(400);
  });

  it('docq issuers --missing-years and docq series', async () => {
    const docq = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', CLI, ...args], {
        env: { ...process.env, MONGODB_URI: mongo.uri },
        timeout: 60_000,
      });
    const all = await docq('issuers');
    expect(all.stdout).toContain('320813  江苏省淮安市洪泽区  held 2023, 2024');
    expect(all.stdout).toContain('320800  江苏省淮安市  held 2024');
    // 淮安市 holds 2024, the archive's latest year, and 洪泽区 2023–2024: nothing missing yet.
    expect((await docq('issuers', '--missing-years')).stdout).toBe('');
    // A 2021 report of 洪泽区 arrives: 2022 is the one to go and find.
    const y21 = buildYear({ base: docs.hz23, year: 2021, issuer: '洪泽区人民政府' });
    await saveExtraction(models, y21, { source: { path: '2021.pdf' } });
    await linkReport(models, y21.sha256);
    const missing = await docq('issuers', '--missing-years');
    expect(missing.stdout).toBe('320813  江苏省淮安市洪泽区  held 2021, 2023, 2024  missing 2022\n');
    await correctCell(models, { sha256: docs.hz23.sha256, key: KEY, value: value(docs.hz23), by: 'bob' });
    const series = await docq('series', '--issuer', '淮安市洪泽区', '--key', KEY);
    expect(
      series.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(0, 2)),
    ).toEqual([
      ['2021', String(value(docs.hz23))],
      ['2023', String(value(docs.hz23))],
      ['2024', String(value(docs.hz24) + 100)],
    ]);
    expect(series.stdout).toContain('reviewed by bob');
  });
});
