/**
 * A job process's memory over many documents (issue 14), measured without the queue: the real job
 * code (workers/run-extract-job: read the file, extract with the real core, save to the embedded
 * database, link across reports) runs document after document in this one process, as a sandboxed
 * job process runs them; every `--every` documents it collects garbage and samples RSS, V8
 * heapUsed/heapTotal, external, arrayBuffers and the idle PDF reader threads' heaps. Prints the curve
 * and writes bench/results/job-memory.json with the growth per 1,000 documents (least squares over
 * the samples after the first quarter, i.e. after warm-up).
 *
 *   npx tsx bench/job-memory.ts [--docs 2000] [--every 250] [--snapshots 500,2000] [--label x]
 *
 * The documents are the born-digital archive of bench/archive.ts (bench/.archive/docs-1-10000-10000,
 * printed there once). `--snapshots` writes V8 heap snapshots at those counts beside the results.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHash } from 'node:crypto';
import { PIPELINE_VERSION } from '../core/version.js';
import { JOB_NAMES } from '../queue/index.js';
import { createJobContext } from '../workers/create-job-context.js';
import type { ExtractJob } from '../workers/job-context.js';
import { memorySample, type MemorySample } from '../workers/memory-log.js';
import { runExtractJob } from '../workers/run-extract-job.js';
import { writeResults } from './bench-util.js';
import { connectModels } from '../models/index.js';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '2000' },
    every: { type: 'string', default: '250' },
    snapshots: { type: 'string', default: '' },
    label: { type: 'string', default: '' },
    dir: { type: 'string' },
  },
});
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = args.dir ?? join(ROOT, 'bench', '.archive', 'docs-1-10000-10000');
const DOCS = Number(args.docs);
const EVERY = Number(args.every);
const SNAPSHOTS = new Set(args.snapshots.split(',').filter(Boolean).map(Number));

// A full collection before each sample, so heapUsed is what is retained, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The part of a BullMQ job the processors use, without a queue: logs and progress go nowhere. */
function fakeJob(id: string, data: object): ExtractJob {
  return {
    id,
    name: JOB_NAMES.document,
    data,
    attemptsMade: 0,
    queueQualifiedName: 'bull:extract',
    updateProgress: async () => undefined,
    log: () => undefined,
    updateData: async () => undefined,
    moveToWaitingChildren: async () => false,
    getIgnoredChildrenFailures: async () => ({}),
  };
}

/** Least-squares slope of y over x, × 1000: MB per 1,000 documents. */
function slopePer1000(points: readonly (readonly [number, number])[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? null : Number(((sxy / sxx) * 1000).toFixed(1));
}

const files = (await readdir(DIR))
  .filter((f) => f.endsWith('.pdf'))
  .sort()
  .slice(0, DOCS);
const work = await mkdtemp(join(tmpdir(), 'docq-job-memory-'));
const dataDir = join(work, 'db');
// The job context connects by URI, as a job process does: start the embedded server for this run first.
const db = await connectModels({ dataDir });
const runId = `job-memory-${Date.now()}`;
await db.models.IngestRun.create({
  runId,
  kind: 'ingest',
  inputKey: DIR,
  roots: [DIR],
  pipelineVersion: PIPELINE_VERSION,
  startedAt: new Date(),
});
const processContext = await createJobContext({ ...process.env, MONGODB_URI: db.uri });
const samples: (MemorySample & { seconds: number; cpuSeconds: number })[] = [];
const started = performance.now();
const statuses: Record<string, number> = {};
const sample = (done: number): void => {
  gc();
  const s = {
    ...memorySample(done, processContext.context.extractor.idleReaderHeaps?.() ?? []),
    seconds: Math.round((performance.now() - started) / 1000),
    cpuSeconds: Number((process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6).toFixed(1)),
  };
  samples.push(s);
  console.log(JSON.stringify(s));
};

try {
  console.log(`${files.length} documents from ${DIR}, one job after another in this process; a sample every ${EVERY}`);
  sample(0);
  let done = 0;
  for (const name of files) {
    const path = join(DIR, name);
    const sha256 = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    const data = { sha256, path, runId, pipelineVersion: PIPELINE_VERSION };
    try {
      const outcome = await runExtractJob(fakeJob(`d-${done}`, data), undefined, processContext.context);
      const status = 'status' in outcome ? outcome.status : 'pages';
      statuses[status] = (statuses[status] ?? 0) + 1;
    } catch (error) {
      const code = error instanceof Error ? error.message.split(':')[0]! : 'error';
      statuses[code] = (statuses[code] ?? 0) + 1;
    }
    done++;
    if (done % EVERY === 0) sample(done);
    if (SNAPSHOTS.has(done)) {
      gc();
      console.log(`heap snapshot ${writeHeapSnapshot(join(work, `job-memory-${done}.heapsnapshot`))}`);
    }
  }
  if (done % EVERY !== 0) sample(done);
  const warm = samples.filter((s) => s.jobs >= files.length / 4);
  const figures = {
    label: args.label,
    docs: files.length,
    every: EVERY,
    statuses,
    perThousandAfterWarmUp: {
      rssMb: slopePer1000(warm.map((s) => [s.jobs, s.rssMb])),
      heapUsedMb: slopePer1000(warm.map((s) => [s.jobs, s.heapUsedMb])),
      externalMb: slopePer1000(warm.map((s) => [s.jobs, s.externalMb])),
      readerHeapsMb: slopePer1000(warm.map((s) => [s.jobs, s.readerHeapsMb.reduce((a, b) => a + b, 0)])),
    },
    peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
    samples,
  };
  console.log(JSON.stringify({ ...figures, samples: undefined }, null, 1));
  console.log(`written ${await writeResults(`job-memory${args.label ? `-${args.label}` : ''}`, figures)}`);
} finally {
  await processContext.close();
  await db.close();
  if (SNAPSHOTS.size === 0) await rm(work, { recursive: true, force: true });
  else console.log(`snapshots kept in ${work}`);
}
