import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSeeds, generateFuzzCorpus } from '../../bench/fuzz/generate.js';
import { runFuzzIngest, type FuzzIngestResult } from '../../bench/fuzz/run-ingest.js';

const DEV = '/work/shared/corpus/dev';

describe('100 fuzzed files through docq ingest --workers 2 (embedded defaults, private Redis)', () => {
  let work: string;
  let result: FuzzIngestResult;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'docq-fuzz-'));
    const dir = join(work, 'in');
    await mkdir(dir);
    // Born-digital seeds keep the subset fast (mutated scans would mostly be OCR time); the bench adds scans.
    const files = generateFuzzCorpus({
      count: 100,
      seed: 20261206,
      seeds: corpusSeeds(DEV, { scans: false }),
      bombMb: 120,
    });
    for (const f of files) await writeFile(join(dir, f.name), f.bytes);
    result = await runFuzzIngest({
      dir,
      work,
      workers: 2,
      built: false,
      timeoutMs: 240_000,
      env: { DOCQ_PAGE_TIMEOUT_MS: '4000', DOCQ_OCR_PAGE_TIMEOUT_MS: '15000', DOCQ_DOCUMENT_TIMEOUT_MS: '60000' },
    });
  }, 300_000);
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('the run finishes: every distinct file is one document with a final status', () => {
    expect(result.output).toMatch(/run \S+ complete/);
    expect([0, 1]).toContain(result.exitCode);
    expect(result.documents).toBe(result.distinctFiles);
    expect(result.unfinished).toBe(0);
  });

  it('every failed document carries a specific error code', () => {
    expect(Object.keys(result.failedByCode)).not.toContain('none');
    expect(Object.keys(result.failedByCode)).not.toContain('RETRIES_EXHAUSTED');
  });

  it('the traps end with their codes: the bomb page past its deadline, the huge box refused', () => {
    expect(result.pageProblemsByCode['PAGE_TIMEOUT']).toBeGreaterThanOrEqual(1);
    expect(result.pageProblemsByCode['PAGE_TOO_LARGE']).toBeGreaterThanOrEqual(1);
    expect(result.failedByCode['UNSUPPORTED_TYPE']).toBeGreaterThanOrEqual(3);
  });

  it('no job runs past its deadline: every job run is logged with its own time, its deadline and its sampled RSS', () => {
    expect(result.jobRuns).toBeGreaterThanOrEqual(result.documents);
    expect(result.jobsPastDeadline).toBe(0);
    // The job deadline is the document deadline (60 s here) plus the 2-minute grace.
    expect(result.slowestJob?.deadlineSeconds).toBe(180);
    expect(result.slowestJob?.seconds).toBeLessThanOrEqual(180);
    expect(result.largestJob?.rssMb).toBeGreaterThan(50);
  });
});
