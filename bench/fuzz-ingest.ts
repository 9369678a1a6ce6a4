/**
 * 1,000 hostile files (seeded mutations of the dev corpus's born-digital reports, scans and page
 * photos, plus every trap of bench/fuzz/traps.ts) through `docq ingest --workers 2` on the embedded
 * defaults (the built CLI, niced): outcome counts by status and code, the slowest document (its
 * wall time, queueing included) beside the slowest job run and its deadline, the jobs whose process
 * the worker stopped (memory budget, deadline), the peak RSS of a job process beside the budget.
 * Every distinct file must end as one document with a final status.
 * Usage: npm run -s build && npx tsx bench/fuzz-ingest.ts [--count 1000] [--seed 14] [--scans 0 | --scans-only 1]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED, writeResults } from './bench-util.js';
import { corpusSeeds, generateFuzzCorpus, tiffSeeds } from './fuzz/generate.js';
import { runFuzzIngest } from './fuzz/run-ingest.js';
import { jobMemoryLimits } from '../workers/retire-job-process.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const count = flag('count', 1000);
const seed = flag('seed', 14);
/**
 * `--scans 0`: born-digital seeds only (mutated scans are mostly OCR time: ≈ 20 documents a minute here).
 * `--scans-only 1`: mutated scans only (image-only PDFs, JPEG, TIFF), no traps, written to
 * bench/results/fuzz-ingest-scans.json.
 */
const scansOnly = flag('scans-only', 0) !== 0;
/** `--source 1`: run the sources through tsx instead of the build (while dist/ is being rebuilt or stale). */
const source = flag('source', 0) !== 0;
const scans = scansOnly || flag('scans', 1) !== 0;
const work = await mkdtemp(join(tmpdir(), 'docq-fuzz-bench-'));
try {
  const dir = join(work, 'in');
  await mkdir(dir);
  const seeds = corpusSeeds(join(SHARED, 'corpus', 'dev'), { scans });
  // Scans as image-only PDFs (scan-light.pdf), JPEG page photos and the same photos as TIFF.
  if (scans) seeds.push(...(await tiffSeeds(seeds)));
  const files = generateFuzzCorpus({
    count,
    seed,
    seeds: scansOnly ? seeds.filter((s) => !s.name.endsWith('digital.pdf')) : seeds,
    traps: !scansOnly,
  });
  for (const f of files) await writeFile(join(dir, f.name), f.bytes);
  console.log(`${files.length} files written (seed ${seed}); ingesting with 2 job processes …`);
  const result = await runFuzzIngest({ dir, work, workers: 2, built: !source, nice: true, timeoutMs: 3 * 60 * 60_000 });
  const figures = {
    files: result.files,
    distinctFiles: result.distinctFiles,
    documents: result.documents,
    unfinished: result.unfinished,
    exitCode: result.exitCode,
    minutes: Math.round((result.seconds / 60) * 10) / 10,
    byStatus: result.byStatus,
    failedByCode: result.failedByCode,
    problemsByCode: result.pageProblemsByCode,
    slowestDocument: result.slowest,
    slowestJob: result.slowestJob,
    largestJob: result.largestJob,
    jobRuns: result.jobRuns,
    jobsPastDeadline: result.jobsPastDeadline,
    stoppedJobs: result.stoppedJobs,
    peakJobRssMb: result.peakJobRssMb,
    jobRssBudgetMb: jobMemoryLimits().budgetMb,
    seed,
    scanSeeds: scans,
    scansOnly,
  };
  console.log(JSON.stringify(figures, null, 2));
  console.log(`written ${await writeResults(scansOnly ? 'fuzz-ingest-scans' : 'fuzz-ingest', figures)}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
