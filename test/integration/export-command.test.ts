import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctCell, saveExtraction } from '../../models/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { makeDocument, withFlaggedTotal } from '../models/make-document.js';

const CLI = fileURLToPath(new URL('../../cli/docq.ts', import.meta.url));
const TOTAL = 'applications.new_received.total';
const run = promisify(execFile);

describe('docq export (CLI against the database)', () => {
  let mongo: TestMongo;
  let dir: string;
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);

  beforeAll(async () => {
    mongo = await startTestMongo();
    dir = await mkdtemp(join(tmpdir(), 'docq-export-'));
    const models = mongo.db.models;
    await saveExtraction(
      models,
      withFlaggedTotal(makeDocument({ sha256: a, status: 'needs_review', value: 5 }), 8, ['likely-culprit'], {
        issuer: '洪泽区',
      }),
      { source: { path: '/archive/a.pdf' } },
    );
    await saveExtraction(
      models,
      withFlaggedTotal(makeDocument({ sha256: b, status: 'needs_review', value: 5 }), 8, ['likely-culprit'], {
        issuer: '=HYPERLINK("x")',
      }),
      { source: { path: '/archive/b,1.pdf' } },
    );
    await saveExtraction(models, makeDocument({ sha256: 'c'.repeat(64), status: 'failed' }), {
      source: { path: '/archive/c.pdf' },
    });
    await correctCell(models, { sha256: a, key: TOTAL, value: 5, by: 'ann' });
  });
  afterAll(async () => {
    await mongo?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const docq = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, MONGODB_URI: mongo.uri },
      timeout: 60_000,
    });

  it('writes one CSV row per cell with corrections applied and spreadsheet-safe text', async () => {
    const out = join(dir, 'all.csv');
    const { stderr } = await docq('export', '--format', 'csv', '--out', out);
    expect(stderr).toContain('exported 2 reports, 4 cells');
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'sha256,path,issuer,report_year,template_version,status,key,value,unit,confidence,flags,extracted,reviewed_by,page',
    );
    const row = (sha: string, key: string) => lines.find((l) => l.startsWith(sha) && l.includes(`,${key},`));
    // The person's 5 replaces the extracted 8 and settles the flag.
    expect(row(a, TOTAL)).toBe(`${a},/archive/a.pdf,洪泽区,2021,v2021,needs_review,${TOTAL},5,,0.95,,8,ann,1`);
    // Undecided: the reading with its flag. Commas quoted; a formula-like issuer defused.
    expect(row(b, TOTAL)).toBe(
      `${b},"/archive/b,1.pdf","'=HYPERLINK(""x"")",2021,v2021,needs_review,${TOTAL},8,,0.95,likely-culprit,,,1`,
    );
  }, 90_000);

  it('filters by issuer and writes JSON lines', async () => {
    const { stdout } = await docq('export', '--format', 'jsonl', '--issuer', '洪泽');
    const reports = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sha256: string; cells: { key: string; value: number; flags: string[] }[] });
    expect(reports.map((r) => r.sha256)).toEqual([a]);
    expect(reports[0]!.cells.find((c) => c.key === TOTAL)).toMatchObject({ value: 5, flags: [], extracted: 8 });
  }, 90_000);

  it('refuses a bad option with a one-line reason', async () => {
    await expect(docq('export', '--year', 'last')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--year takes a year'),
    });
  }, 90_000);
});
