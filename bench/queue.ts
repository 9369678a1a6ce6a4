/**
 * Queue throughput and overhead: `npx tsx bench/queue.ts [digital] [noop] [bare] [writes]` →
 * bench/results/queue.json (a subset of sections replaces only its own entries there).
 * - born-digital dev reports (real core) with 1 and then 2 concurrent job processes: docs/min, pages/min;
 * - the queue's own cost per job with extraction replaced by a no-op (bench/fixtures/noop-extractor.ts);
 * - peak RSS of each job process and of the worker process;
 * - CPU seconds used during each timed run by every process sharing the cores: the job processes, the
 *   worker main process (which here also runs the producer and the completion polling), the embedded
 *   MongoDB server and Redis (utime + stime from /proc/<pid>/stat).
 * Redis and the embedded MongoDB server run as their own processes on free ports with temp data dirs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIPELINE_VERSION } from '../core/version.js';
import { findRunningServer, spawnServer, stopServerProcess } from '../embedded-mongo/ensure-mongo.js';
import { connectModels, saveExtraction, type ModelsConnection } from '../models/index.js';
import { ingestFolder } from '../producers/ingest-folder.js';
import { refreshRun } from '../producers/run-progress.js';
import { createExtractQueue, pingRedis, type ExtractQueue } from '../queue/index.js';
import { MARK_AFTER_MS } from '../workers/processing-mark.js';
import { markProcessing } from '../workers/record-status.js';
import { startExtractWorker } from '../workers/start-extract-worker.js';

const DEV = '/work/shared/corpus/dev';
/** Copies of each dev report (distinct bytes after %%EOF, so distinct hashes): 19 × 4 = 76 documents. */
const DIGITAL_COPIES = 4;
const NOOP_JOBS = 400;
/** No-op rounds per job-process count; the best is kept (the machine is shared: rounds vary by ±30 %). */
const NOOP_ROUNDS = 3;
/** Jobs through a bare BullMQ worker (no database, no files): the queue's own share of the overhead. */
const BARE_JOBS = 1_000;
/** 1 and 2 job processes alternate this many times; the best of each is kept (the machine is shared). */
const ROUNDS = 2;
const NOOP_EXTRACTOR = fileURLToPath(new URL('./fixtures/noop-extractor.ts', import.meta.url));
const SAMPLE_MS = 250;
/** The bench waits for a run this way: a cheap Redis count first, the run aggregation only when it may be over. */
const WAIT_POLL_MS = 20;
const CLK_TCK = 100;

function freePortSync(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

function uptime(): string {
  return execFileSync('uptime', { encoding: 'utf8' }).trim();
}

function load(): number[] {
  return loadavg().map((l) => Number(l.toFixed(2)));
}

/** utime + stime of a process in seconds, or null once it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** This process's children (the sandboxed job processes …), read from /proc: spawning `ps` would block the worker's event loop. */
function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const text = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
      if (text !== '') pids.push(...text.split(/\s+/).map(Number));
    } catch {
      // the thread ended
    }
  }
  return pids;
}

/** Resident set size of a process in bytes, or 0 once it is gone. */
function rssBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function startRedis(dir: string): Promise<{ url: string; pid: number; stop(): void }> {
  const port = freePortSync();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', ''],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await pingRedis(url)); i++) await new Promise((r) => setTimeout(r, 50));
  return { url, pid: child.pid ?? -1, stop: () => void child.kill('SIGTERM') };
}

/** The embedded server as `docq` runs it: its own detached process, found through its lock file. */
async function startMongoProcess(dataDir: string): Promise<{ uri: string; pid: number; stop(): Promise<void> }> {
  await spawnServer(dataDir, 0, { strictPort: true });
  for (let i = 0; i < 900; i++) {
    const owner = await findRunningServer(dataDir);
    if (owner) {
      return {
        uri: `mongodb://${owner.host}:${owner.port}/bench?directConnection=true`,
        pid: owner.pid,
        stop: () => stopServerProcess(owner.pid),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`embedded MongoDB did not start; see ${dataDir}/server.log`);
}

interface Services {
  readonly redisPid: number;
  readonly mongoPid: number;
}

/** Peak RSS (MB) of the job processes (this process's other children), of this process and of the DB server, sampled until stopped. */
function sampleRss(services: Services): { stop(): { perChildMb: number[]; workerMb: number; mongoServerMb: number } } {
  const peak = new Map<number, number>();
  let workerPeak = 0;
  let mongoPeak = 0;
  const timer = setInterval(() => {
    workerPeak = Math.max(workerPeak, process.memoryUsage().rss);
    mongoPeak = Math.max(mongoPeak, rssBytes(services.mongoPid));
    for (const pid of childPids())
      if (pid !== services.mongoPid && pid !== services.redisPid)
        peak.set(pid, Math.max(peak.get(pid) ?? 0, rssBytes(pid)));
  }, SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      const mb = (b: number): number => Math.round(b / 1048576);
      return {
        perChildMb: [...peak.values()].map(mb).filter((v) => v > 60),
        workerMb: mb(workerPeak),
        mongoServerMb: mb(mongoPeak),
      };
    },
  };
}

interface CpuShare {
  jobProcesses: number;
  workerMain: number;
  mongoServer: number;
  redis: number;
  total: number;
}

/** CPU seconds per process between `start()` and `stop()`; job processes are the children alive at stop. */
function cpuMeter(services: Services): { stop(): CpuShare } {
  const read = (): Map<number, number> => {
    const pids = [process.pid, services.redisPid, services.mongoPid, ...childPids()];
    return new Map(
      pids.flatMap((pid) => {
        const seconds = cpuSeconds(pid);
        return seconds === null ? [] : [[pid, seconds] as const];
      }),
    );
  };
  const before = read();
  return {
    stop: () => {
      const after = read();
      const used = (pid: number): number => (after.get(pid) ?? 0) - (before.get(pid) ?? 0);
      const jobs = [...after.keys()]
        .filter((pid) => ![process.pid, services.redisPid, services.mongoPid].includes(pid))
        .reduce((s, pid) => s + used(pid), 0);
      const share = {
        jobProcesses: jobs,
        workerMain: used(process.pid),
        mongoServer: used(services.mongoPid),
        redis: used(services.redisPid),
      };
      const round = (n: number): number => Number(n.toFixed(2));
      const total = share.jobProcesses + share.workerMain + share.mongoServer + share.redis;
      return {
        jobProcesses: round(share.jobProcesses),
        workerMain: round(share.workerMain),
        mongoServer: round(share.mongoServer),
        redis: round(share.redis),
        total: round(total),
      };
    },
  };
}

/**
 * Waits until the run is complete. Counting the run's documents is an aggregation on the database,
 * so it is only asked once BullMQ has nothing waiting or active (a cheap Redis call).
 */
async function waitComplete(db: ModelsConnection, queue: ExtractQueue, runId: string): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
    if (Object.values(counts).every((n) => n === 0)) {
      const progress = await refreshRun(db.models, runId);
      if (progress?.complete) return;
    }
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}

interface Measured {
  docs: number;
  pages: number;
  seconds: number;
  queueingSeconds: number;
  /** From the first job taken to the last one finished (BullMQ's processedOn / finishedOn): the workers' share. */
  workerSeconds: number;
  cpu: CpuShare;
  rss: { perChildMb: number[]; workerMb: number; mongoServerMb: number };
}

/** Queues `folder`, runs it to completion with `concurrency` job processes, returns wall time after warm-up. */
async function measure(
  ctx: BenchContext,
  opts: {
    prefix: string;
    concurrency: number;
    folder: string;
    warm: string;
    env?: Record<string, string>;
    pipelineVersion: string;
  },
): Promise<Measured> {
  const queue: ExtractQueue = createExtractQueue({ url: ctx.redisUrl, prefix: opts.prefix });
  const rss = sampleRss(ctx.services);
  const worker = await startExtractWorker({
    mongoUri: ctx.mongoUri,
    redisUrl: ctx.redisUrl,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    log: () => undefined,
    ...(opts.env ? { env: opts.env } : {}),
  });
  // Warm-up: at least one document per job process, so process start and module loading are not measured.
  const warm = await ingestFolder({
    roots: [opts.warm],
    models: ctx.db.models,
    queue,
    pipelineVersion: opts.pipelineVersion,
  });
  await waitComplete(ctx.db, queue, warm.runId);
  const cpu = cpuMeter(ctx.services);
  const started = performance.now();
  const run = await ingestFolder({
    roots: [opts.folder],
    models: ctx.db.models,
    queue,
    pipelineVersion: opts.pipelineVersion,
  });
  const queueingSeconds = (performance.now() - started) / 1000;
  await waitComplete(ctx.db, queue, run.runId);
  const seconds = (performance.now() - started) / 1000;
  const used = cpu.stop();
  const docs = await ctx.db.models.Document.find({ runId: run.runId }, { pageCount: 1 }).lean();
  const jobs = (await queue.getJobs(['completed'], 0, -1)).filter(
    (j) => (j.data as { runId?: string }).runId === run.runId,
  );
  const firstTaken = Math.min(...jobs.map((j) => j.processedOn ?? Infinity));
  const lastFinished = Math.max(...jobs.map((j) => j.finishedOn ?? -Infinity));
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return {
    docs: docs.length,
    pages: docs.reduce((s, d) => s + (d.pageCount ?? 0), 0),
    seconds,
    queueingSeconds,
    workerSeconds: (lastFinished - firstTaken) / 1000,
    cpu: used,
    rss: rss.stop(),
  };
}

/**
 * The database share: the writes of one no-op job (saveExtraction of a one-page result, a first
 * pass), timed alone; the processing mark, written only for jobs that run past MARK_AFTER_MS, beside it.
 */
async function mongoWriteCost(db: ModelsConnection): Promise<Record<string, unknown>> {
  const noop = (await import(NOOP_EXTRACTOR)) as {
    extractDocument(input: { bytes: Uint8Array }): Promise<import('../core/model/index.js').Document>;
  };
  const jobs = 200;
  let mark = 0;
  let save = 0;
  for (let i = 0; i < jobs; i++) {
    const doc = await noop.extractDocument({ bytes: new TextEncoder().encode(`write-cost ${i} ${Date.now()}`) });
    const t0 = performance.now();
    await saveExtraction(db.models, doc, { runId: 'write-cost', firstPass: true, startedAt: new Date() });
    const t1 = performance.now();
    // The mark goes on a document of its own: a fast job's save and a slow job's mark, each on a new record.
    const marked = await noop.extractDocument({
      bytes: new TextEncoder().encode(`write-cost mark ${i} ${Date.now()}`),
    });
    await markProcessing(
      db.models,
      { sha256: marked.sha256, path: `/tmp/${i}.pdf`, runId: 'write-cost', pipelineVersion: 'noop' },
      1,
    );
    save += t1 - t0;
    mark += performance.now() - t1;
  }
  const ms = (n: number): number => Number((n / jobs).toFixed(2));
  return {
    jobs,
    msPerJob: ms(save),
    markProcessingMs: ms(mark),
    note: `one job after another from this process; a one-page document, no tables, no report; the mark is written only for jobs running past ${MARK_AFTER_MS} ms`,
  };
}

/** Add + process + complete through BullMQ alone (in-process no-op processor), per job. */
async function bareQueueOverhead(redisUrl: string): Promise<{ jobs: number; msPerJob: number }> {
  const { Queue, Worker } = await import('bullmq');
  const { connectionOptions } = await import('../queue/index.js');
  const queue = new Queue('bare', { connection: connectionOptions(redisUrl), prefix: 'benchbare' });
  let done = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const worker = new Worker('bare', async () => ({ ok: true }), {
    connection: connectionOptions(redisUrl),
    prefix: 'benchbare',
    concurrency: 1,
  });
  worker.on('completed', () => {
    if (++done === BARE_JOBS) resolveAll();
  });
  const started = performance.now();
  await queue.addBulk(
    Array.from({ length: BARE_JOBS }, (_, i) => ({
      name: 'noop',
      data: { i },
      opts: { jobId: `bare-${i}`, removeOnComplete: 100 },
    })),
  );
  await all;
  const ms = performance.now() - started;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { jobs: BARE_JOBS, msPerJob: Number((ms / BARE_JOBS).toFixed(2)) };
}

/** A distinct copy of a PDF: a comment line after %%EOF changes the hash, not the content read. */
async function writeCopy(source: string, target: string, tag: string): Promise<void> {
  await writeFile(target, Buffer.concat([await readFile(source), Buffer.from(`\n%docq-bench ${tag}\n`)]));
}

async function digitalSection(ctx: BenchContext, results: Record<string, unknown>): Promise<void> {
  const digital = join(ctx.work, 'digital');
  await mkdir(digital);
  const dirs = (await readdir(DEV)).sort();
  for (let copy = 0; copy < DIGITAL_COPIES; copy++)
    for (const d of dirs) await writeCopy(join(DEV, d, 'digital.pdf'), join(digital, `${d}-${copy}.pdf`), `${copy}`);
  const rounds: Record<string, { seconds: number; m: Measured }[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of [1, 2]) {
      // Warm-up files: new hashes each round, two per job process (both processes start and load the core).
      const warm = join(ctx.work, `warm-${round}-${concurrency}`);
      await mkdir(warm);
      for (const d of dirs.slice(0, 2 * concurrency))
        await writeCopy(join(DEV, d, 'digital.pdf'), join(warm, `${d}.pdf`), `warm ${round} ${concurrency}`);
      await ctx.db.models.Document.deleteMany({});
      await ctx.db.models.Page.deleteMany({});
      await ctx.db.models.Table.deleteMany({});
      await ctx.db.models.Report.deleteMany({});
      const key = `digital_${concurrency}_worker${concurrency > 1 ? 's' : ''}`;
      const before = uptime();
      const m = await measure(ctx, {
        prefix: `bench${concurrency}r${round}`,
        concurrency,
        folder: digital,
        warm,
        pipelineVersion: PIPELINE_VERSION,
      });
      (rounds[key] ??= []).push({ seconds: m.seconds, m });
      console.log(
        `born-digital, ${concurrency} job process(es), round ${round + 1}: ${m.docs} docs ${m.pages} pages in ${m.seconds.toFixed(1)} s; cpu`,
        m.cpu,
        `\n  before: ${before}\n  after:  ${uptime()}`,
      );
    }
  }
  for (const [key, seen] of Object.entries(rounds)) {
    const best = seen.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    results[key] = {
      docs: best.m.docs,
      pages: best.m.pages,
      seconds: Number(best.seconds.toFixed(1)),
      secondsPerRound: seen.map((s) => Number(s.seconds.toFixed(1))),
      docsPerMin: Number(((best.m.docs / best.seconds) * 60).toFixed(1)),
      pagesPerMin: Number(((best.m.pages / best.seconds) * 60).toFixed(1)),
      cpuSecondsBestRound: best.m.cpu,
      peakRssMbPerJobProcess: best.m.rss.perChildMb,
      peakRssMbWorkerProcess: best.m.rss.workerMb,
      peakRssMbMongoServer: best.m.rss.mongoServerMb,
    };
  }
  const one = results['digital_1_worker'] as { docsPerMin: number };
  const two = results['digital_2_workers'] as { docsPerMin: number };
  results['speedup_2_vs_1'] = Number((two.docsPerMin / one.docsPerMin).toFixed(2));
  console.log('speed-up 2 vs 1 job processes:', results['speedup_2_vs_1']);
}

async function noopSection(ctx: BenchContext, results: Record<string, unknown>): Promise<void> {
  const section: Record<string, unknown> = {};
  const best: Record<string, { msPerJob: number }> = {};
  const rounds: Record<string, number[]> = {};
  for (let round = 0; round < NOOP_ROUNDS; round++) {
    for (const concurrency of [1, 2]) {
      // New hashes per round (the same files would be skipped as done): a last line differs.
      const tag = `${round}-${concurrency}`;
      const folder = join(ctx.work, `noop-${tag}`);
      const warm = join(ctx.work, `noop-warm-${tag}`);
      await mkdir(folder);
      await mkdir(warm);
      for (let i = 0; i < NOOP_JOBS; i++)
        await writeFile(join(folder, `f${String(i).padStart(4, '0')}.pdf`), `%PDF-1.4 noop ${i}\n% round ${tag}\n`);
      for (let i = 0; i < 2 * concurrency; i++) await writeFile(join(warm, `w${i}.pdf`), `%PDF-1.4 warm ${tag} ${i}\n`);
      await ctx.db.models.Document.deleteMany({});
      await ctx.db.models.Page.deleteMany({});
      const before = uptime();
      const m = await measure(ctx, {
        prefix: `benchnoop${tag}`,
        concurrency,
        folder,
        warm,
        env: { DOCQ_EXTRACTOR_MODULE: NOOP_EXTRACTOR },
        pipelineVersion: 'noop',
      });
      const perJob = (s: number): number => Number(((s * 1000) / m.docs).toFixed(2));
      const key = `${concurrency}_job_process${concurrency > 1 ? 'es' : ''}`;
      const figures = {
        jobs: m.docs,
        msPerJob: perJob(m.workerSeconds),
        queueingMsPerJob: perJob(m.queueingSeconds),
        endToEndMsPerJob: perJob(m.seconds),
        cpuMsPerJob: {
          jobProcesses: perJob(m.cpu.jobProcesses),
          workerMainAndProducer: perJob(m.cpu.workerMain),
          mongoServer: perJob(m.cpu.mongoServer),
          redis: perJob(m.cpu.redis),
          total: perJob(m.cpu.total),
        },
        loadBefore: before,
        loadAfter: uptime(),
      };
      console.log(`no-op, ${key}, round ${round + 1}:`, figures);
      (rounds[key] ??= []).push(figures.msPerJob);
      const previous = best[key];
      if (!previous || figures.msPerJob < previous.msPerJob) best[key] = figures;
    }
  }
  for (const [key, figures] of Object.entries(best)) section[key] = { ...figures, msPerJobPerRound: rounds[key] };
  section['note'] =
    "msPerJob: the workers' time per job, from the first job taken to the last finished (job fetch, file read + hash check, MongoDB writes of a one-page result, log, completion); queueingMsPerJob: the producer's (walk, hash, record, addBulk), which overlaps the workers on a run larger than one batch (500) but not here (400 files in one batch); endToEndMsPerJob: from the start of ingest to the run counted complete. CPU is that of the whole end-to-end run.";
  results['noop_overhead'] = section;
  console.log('no-op extraction:', section);
}

interface BenchContext {
  readonly work: string;
  readonly db: ModelsConnection;
  readonly mongoUri: string;
  readonly redisUrl: string;
  readonly services: Services;
}

async function main(): Promise<void> {
  const all = ['digital', 'noop', 'bare', 'writes'];
  const asked = process.argv.slice(2).filter((a) => all.includes(a));
  const sections = asked.length > 0 ? asked : all;
  const work = await mkdtemp(join(tmpdir(), 'docq-bench-queue-'));
  const redis = await startRedis(work);
  const mongo = await startMongoProcess(join(work, 'db'));
  const db = await connectModels({ uri: mongo.uri });
  const ctx: BenchContext = {
    work,
    db,
    mongoUri: mongo.uri,
    redisUrl: redis.url,
    services: { redisPid: redis.pid, mongoPid: mongo.pid },
  };
  const file = new URL('./results/queue.json', import.meta.url);
  let results: Record<string, unknown> = {};
  if (asked.length > 0) {
    try {
      results = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch {
      results = {};
    }
  }
  try {
    results['loadAverageAtStart'] = load();
    console.log(`start: ${uptime()}`);
    if (sections.includes('digital')) await digitalSection(ctx, results);
    if (sections.includes('noop')) await noopSection(ctx, results);
    if (sections.includes('bare')) {
      results['bullmq_only'] = await bareQueueOverhead(redis.url);
      console.log('bare BullMQ:', results['bullmq_only']);
    }
    if (sections.includes('writes')) {
      results['mongo_writes_only'] = await mongoWriteCost(db);
      console.log('MongoDB writes of a no-op job:', results['mongo_writes_only']);
    }
    results['loadAverageAtEnd'] = load();
    console.log(`end: ${uptime()}`);
    results['targets'] = { overheadMsPerJob: '< 5', speedup: '>= 1.8' };
    results['machine'] = {
      cores: (await import('node:os')).cpus().length,
      node: process.version,
      note: 'shared 2-core machine (another engineer runs OCR scoring); runs held /tmp/cpu.lock',
    };
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log('wrote bench/results/queue.json');
  } finally {
    await db.close();
    await mongo.stop();
    redis.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
