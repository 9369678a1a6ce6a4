/**
 * An archive run: N distinct born-digital reports (bench/archive/make-archive.ts) through
 * `docq ingest --workers 2` on the embedded defaults (private Redis, embedded MongoDB-compatible
 * server), the built CLI, niced. Prints and writes bench/results/archive.json:
 * - documents/min (first document queued → last finished) and producer files/s;
 * - CPU seconds per document of every process role (job processes with the tools they ran, the
 *   ingest process = producer + worker main, the embedded server, Redis) and each role's peak RSS:
 *   CPU time is what extrapolates on a shared machine (docs/scaling.md), wall-clock is printed beside;
 * - the job processes' resident memory every 30 s, summarised per 1,000 documents (jobRssByThousand):
 *   peak RSS alone grows with the length of a run even when memory is bounded;
 * - Redis peak memory (INFO memory), the database's size on disk and its own dbStats;
 * - at that size: the review queue listing (GET /review/queue, cold and warm) and `docq export`
 *   as xlsx and csv (wall, CPU of the export and of the server, peak RSS, bytes).
 *
 *   npm run -s build && npx tsx bench/archive.ts --docs 10000 [--distinct N] [--seed 1] [--nice 15] [--keep]
 *
 * The documents are cached in bench/.archive/ (git-ignored); the run's database goes to
 * bench/.archive/run-* and is removed unless --keep.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { getPriority, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { buildApi } from '../api/build-api.js';
import { findRunningServer } from '../embedded-mongo/ensure-mongo.js';
import { connectModels } from '../models/index.js';
import { createExtractQueue, pingRedis } from '../queue/index.js';
import { makeArchive } from './archive/make-archive.js';
import { meterTree, readProc, type ProcSample, type RoleFigures } from './archive/proc-meter.js';
import { median, SHARED, writeResults } from './bench-util.js';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '10000' },
    distinct: { type: 'string' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    nice: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
  },
});
const DOCS = Number(args.docs);
const DISTINCT = Math.min(DOCS, Number(args.distinct ?? DOCS));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'bench', '.archive');
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/** Redis INFO memory, polled while the private server lives: the peak it reports, the largest RSS. */
function watchRedis(url: string): { stop(): { usedMemoryPeakMb: number; rssPeakMb: number; samples: number } } {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 1000 });
  client.on('error', () => undefined);
  const figures = { usedMemoryPeakMb: 0, rssPeakMb: 0, samples: 0 };
  const poll = async (): Promise<void> => {
    try {
      if (client.status === 'wait') await client.connect();
      const info = await client.info('memory');
      const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      figures.usedMemoryPeakMb = Math.max(figures.usedMemoryPeakMb, round(field('used_memory_peak') / 1048576, 1));
      figures.rssPeakMb = Math.max(figures.rssPeakMb, round(field('used_memory_rss') / 1048576, 1));
      figures.samples++;
    } catch {
      // not up yet, or stopped with the ingest
    }
  };
  const timer = setInterval(() => void poll(), 2000);
  return {
    stop: () => {
      clearInterval(timer);
      client.disconnect();
      return figures;
    },
  };
}

/** Which part of docq a process is. */
function roleOf(ingestPid: number): (p: ProcSample) => string {
  return (p) => {
    if (p.pid === ingestPid) return 'ingest';
    if (p.cmdline.includes('redis-server')) return 'redis';
    if (p.cmdline.includes('server-main')) return 'embeddedServer';
    if (p.cmdline.includes('bullmq')) return 'job';
    if (p.cmdline.includes('reaper')) return 'reaper';
    return 'other';
  };
}

/** CPU seconds per document finished in each quarter of the run (from the 30 s series). */
function byQuarter(series: readonly { finished: number; cpuSeconds: number }[]): number[] {
  const last = series[series.length - 1];
  if (!last || last.finished < 8) return [];
  const at = (q: number): { finished: number; cpuSeconds: number } =>
    q === 0 ? { finished: 0, cpuSeconds: 0 } : (series.find((p) => p.finished >= (last.finished * q) / 4) ?? last);
  return [1, 2, 3, 4].map((q) => {
    const [a, b] = [at(q - 1), at(q)];
    return b.finished > a.finished ? round((b.cpuSeconds - a.cpuSeconds) / (b.finished - a.finished), 3) : NaN;
  });
}

/** The job processes' largest and median resident memory (MB, sampled every 30 s) in each 1,000 documents of the run. */
function rssByThousand(
  series: readonly { finished: number; jobRssMb: readonly number[] }[],
): { documents: string; maxMb: number; medianMb: number }[] {
  const buckets = new Map<number, number[]>();
  for (const p of series) {
    if (p.jobRssMb.length === 0) continue;
    const k = Math.floor(p.finished / 1000);
    buckets.set(k, [...(buckets.get(k) ?? []), ...p.jobRssMb]);
  }
  return [...buckets].map(([k, values]) => ({
    documents: `${k * 1000}–${k * 1000 + 999}`,
    maxMb: Math.max(...values),
    medianMb: median(values),
  }));
}

const perDoc = (roles: Record<string, RoleFigures>, docs: number): Record<string, number> =>
  Object.fromEntries(Object.entries(roles).map(([r, f]) => [r, round(f.cpuSeconds / docs, 3)]));

const dir = await makeArchive({ docs: DOCS, distinct: DISTINCT, seed: Number(args.seed), shared: SHARED, root: CACHE });
await mkdir(CACHE, { recursive: true });
const work = await mkdtemp(join(CACHE, 'run-'));
const dataDir = join(work, 'db');
const port = await freePort();
const env: Record<string, string | undefined> = {
  ...process.env,
  REDIS_URL: `redis://127.0.0.1:${port}`,
  DOCQ_DATA_DIR: dataDir,
  DOCQ_REDIS_DIR: join(work, 'redis'),
};
delete env['MONGODB_URI'];
delete env['DOCQ_QUEUE_PREFIX'];
const cli = join(ROOT, 'bin', 'docq.js');

try {
  console.log(
    `${DOCS} documents (${DISTINCT} distinct reports) in ${dir}; ingesting with ${args.workers} job processes …`,
  );
  const startedAt = Date.now();
  const ingest = spawn(
    'nice',
    ['-n', String(args.nice), process.execPath, cli, 'ingest', '--workers', String(args.workers), dir],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ingestPid = ingest.pid ?? -1;
  // The niceness the ingest runs at (this bench's own, e.g. under `nice -n 15`, plus --nice).
  let niceness: number | null = null;
  setTimeout(() => void (niceness = getPriority(ingestPid)), 1000).unref();
  const meter = meterTree(
    ingestPid,
    roleOf(ingestPid),
    (p) =>
      (p.cmdline.includes('redis-server') && p.cmdline.includes(`:${port}`)) ||
      (p.cmdline.includes('server-main') && p.cmdline.includes(dataDir)),
    new Set(['job']),
  );
  const redis = watchRedis(env['REDIS_URL']!);
  let producerDoneAt = 0;
  let tail = '';
  // Every 30 s: documents finished (the ingest's progress line) and CPU so far, to show whether the
  // cost of a document grows as the archive fills (the extrapolation assumes it does not).
  let finished = 0;
  // The job processes' resident memory now (not their peak): whether it grows with the documents done (issue 14).
  const series: { seconds: number; finished: number; cpuSeconds: number; jobRssMb: number[] }[] = [];
  const seriesTimer = setInterval(() => {
    const cpu = Object.values(meter.figures()).reduce((sum, f) => sum + f.cpuSeconds, 0);
    series.push({
      seconds: Math.round((Date.now() - startedAt) / 1000),
      finished,
      cpuSeconds: round(cpu, 1),
      jobRssMb: meter.liveRssMb('job'),
    });
  }, 30_000);
  ingest.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    for (const m of text.matchAll(/(\d+)\/\d+ finished/g)) finished = Number(m[1]);
    if (producerDoneAt === 0 && /^run \S+.*files,/m.test(text)) producerDoneAt = Date.now();
    tail = (tail + text).slice(-4000);
  });
  ingest.stdout.on('data', (chunk: Buffer) => void (tail = (tail + chunk.toString()).slice(-4000)));
  const exitCode = await new Promise<number | null>((resolve) => ingest.once('exit', (code) => resolve(code)));
  const wallSeconds = (Date.now() - startedAt) / 1000;
  clearInterval(seriesTimer);
  const roles = meter.stop();
  const redisMemory = redis.stop();
  console.log(tail.split(/\r|\n/).slice(-12).join('\n'));

  // The database at that size, served as `docq` serves it (the embedded server in its own process).
  const db = await connectModels({ dataDir, syncIndexes: false });
  const server = await findRunningServer(dataDir);
  const { models } = db;
  const run = await models.IngestRun.findOne({}).sort({ startedAt: -1 }).lean();
  const docs = await models.Document.find({}, { status: 1, error: 1, startedAt: 1, finishedAt: 1 }).lean();
  const byStatus: Record<string, number> = {};
  const failedByCode: Record<string, number> = {};
  for (const d of docs) {
    byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
    if (d.status === 'failed') failedByCode[d.error?.code ?? '?'] = (failedByCode[d.error?.code ?? '?'] ?? 0) + 1;
  }
  const lastFinished = Math.max(...docs.map((d) => d.finishedAt?.getTime() ?? 0));
  const runStart = run?.startedAt.getTime() ?? startedAt;
  const dbStats = await db.models.Document.db.db
    ?.stats()
    .then((s) => ({
      dataSizeMb: round(Number(s['dataSize']) / 1048576, 1),
      storageSizeMb: round(Number(s['storageSize']) / 1048576, 1),
    }))
    .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
  const counts = {
    documents: docs.length,
    pages: await models.Page.estimatedDocumentCount(),
    reports: await models.Report.estimatedDocumentCount(),
    tables: await models.Table.estimatedDocumentCount(),
  };

  // Review queue listing over the whole archive (the API needs a queue: a Redis of its own).
  const apiRedisPort = await freePort();
  const apiRedis = spawn('redis-server', ['--port', String(apiRedisPort), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  });
  const apiRedisUrl = `redis://127.0.0.1:${apiRedisPort}`;
  for (let i = 0; i < 100 && !(await pingRedis(apiRedisUrl)); i++) await new Promise((r) => setTimeout(r, 50));
  const queue = createExtractQueue({ url: apiRedisUrl });
  const app = buildApi({ models, queue, images: { cacheDir: join(work, 'cache') } });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const timed = async (url: string): Promise<number> => {
    const t = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return performance.now() - t;
  };
  const firstMs = await timed(`${base}/review/queue?sort=flags&limit=50`);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++)
    warm.push(await timed(`${base}/review/queue?sort=flags&limit=50&offset=${(i % 10) * 50}`));
  const oldest: number[] = [];
  for (let i = 0; i < 5; i++) oldest.push(await timed(`${base}/review/queue?sort=oldest&limit=50`));
  await app.close();
  await queue.close();
  apiRedis.kill('SIGTERM');
  const reviewQueue = {
    firstMs: round(firstMs, 1),
    warmP50Ms: round(median(warm), 1),
    warmMaxMs: round(Math.max(...warm), 1),
    oldestFirstP50Ms: round(median(oldest), 1),
  };

  // Exports through the CLI against the running server.
  const exports: Record<string, unknown> = {};
  for (const format of ['xlsx', 'csv']) {
    const out = join(work, `export.${format}`);
    const serverBefore = server ? (readProc(server.pid)?.cpuSeconds ?? 0) : 0;
    const t = performance.now();
    const child = spawn(process.execPath, [cli, 'export', '--format', format, '--out', out], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exportMeter = meterTree(
      child.pid ?? -1,
      () => 'export',
      () => false,
      new Set(['export']),
      250,
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => void (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    const seconds = (performance.now() - t) / 1000;
    const figures = exportMeter.stop()['export'];
    const serverCpu = server ? (readProc(server.pid)?.cpuSeconds ?? 0) - serverBefore : null;
    exports[format] = {
      exitCode: code,
      seconds: round(seconds, 1),
      exportCpuSeconds: figures?.cpuSeconds ?? null,
      serverCpuSeconds: serverCpu === null ? null : round(serverCpu),
      peakRssMb: figures?.peakRssMb ?? null,
      bytes: code === 0 ? statSync(out).size : null,
      ...(code !== 0 ? { error: err.slice(-500) } : {}),
    };
    console.log(`export ${format}: ${JSON.stringify(exports[format])}`);
  }
  await db.close();

  const processed = docs.filter((d) => d.finishedAt).length;
  const figures = {
    docs: DOCS,
    distinctReports: DISTINCT,
    documentsRecorded: docs.length,
    byStatus,
    failedByCode,
    exitCode,
    wallSeconds: round(wallSeconds, 1),
    documentsPerMin: round(processed / ((lastFinished - runStart) / 60_000), 1),
    producer: {
      files: run?.counts.files ?? null,
      seconds: producerDoneAt ? round((producerDoneAt - runStart) / 1000, 1) : null,
      filesPerSecond: producerDoneAt ? round((run?.counts.files ?? 0) / ((producerDoneAt - runStart) / 1000), 1) : null,
    },
    cpuSecondsPerDocument: perDoc(roles, processed),
    cpuSecondsPerDocumentTotal: round(Object.values(roles).reduce((s, f) => s + f.cpuSeconds, 0) / processed, 3),
    roles,
    cpuPerDocumentByQuarter: byQuarter(series),
    jobRssByThousand: rssByThousand(series),
    series,
    redis: redisMemory,
    database: {
      ...counts,
      onDiskMb: round((await diskBytes(dataDir)) / 1048576, 1),
      dbStats,
    },
    reviewQueue,
    exports,
    niceness,
    loadAverageAtEnd: loadavg().map((l) => round(l)),
  };
  console.log(JSON.stringify(figures, null, 1));
  console.log(`written ${await writeResults('archive', figures)}`);
} finally {
  if (!args.keep) await rm(work, { recursive: true, force: true });
}
