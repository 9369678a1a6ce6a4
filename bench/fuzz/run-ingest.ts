import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectModels } from '../../models/index.js';

/** The checkout (from bench/fuzz/ in the sources, from dist/bench/fuzz/ when built). */
const ROOT = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../..' : '../../..', import.meta.url));

export interface FuzzIngestResult {
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly files: number;
  readonly distinctFiles: number;
  readonly documents: number;
  readonly byStatus: Record<string, number>;
  /** Failed documents by error code; page problems by code across all documents. */
  readonly failedByCode: Record<string, number>;
  readonly pageProblemsByCode: Record<string, number>;
  /** Documents without a final status (queued or processing) once the run ended. */
  readonly unfinished: number;
  /** The document with the longest startedAt → finishedAt (queueing of its page fan-out included). */
  readonly slowest: { readonly path: string; readonly seconds: number } | null;
  /** The longest single job run (BullMQ processedOn → finishedOn, from the worker's job log) and its deadline. */
  readonly slowestJob: JobRun | null;
  /** The job run with the largest sampled RSS (process tree, sampled every 250 ms by the worker). */
  readonly largestJob: JobRun | null;
  /** Job runs that took longer than their deadline (must be 0). */
  readonly jobsPastDeadline: number;
  /** Job runs in the log, and the jobs whose process the worker stopped during the job (over budget or deadline). */
  readonly jobRuns: number;
  readonly stoppedJobs: readonly { readonly path: string; readonly reason: string }[];
  /** Peak resident memory of any job process (VmHWM), in MB. */
  readonly peakJobRssMb: number;
  readonly output: string;
}

export interface JobRun {
  readonly name: string;
  readonly path: string;
  readonly outcome: string;
  readonly seconds: number;
  readonly deadlineSeconds: number;
  /** Largest resident MB of the job's process tree the worker sampled during the run. */
  readonly rssMb: number | null;
}

/**
 * The worker's job lines in the job log (workers/start-extract-worker.ts): every run's own time,
 * deadline and sampled peak RSS (`… ran=…ms deadline=…ms rss=…MB`), and the failures of jobs whose
 * process the worker stopped (`… failed (attempt n, final): TOO_LARGE: …`). Builds before 2026-12-07
 * 04:30 wrote the times before the failure's message; both orders are read.
 */
export function readJobLog(
  text: string,
  pathOf: (sha12: string) => string,
): { runs: JobRun[]; stops: { path: string; reason: string }[] } {
  const runs: JobRun[] = [];
  const stops: { path: string; reason: string }[] = [];
  for (const line of text.split('\n')) {
    const head = /^\S+ (document|pages) (\w+) (.*)$/.exec(line);
    const times = / ran=(\d+)ms deadline=(\d+)ms(?: rss=(\d+)MB)?/.exec(line);
    if (!head || !times) continue;
    const [, name = '', sha = '', rest = ''] = head;
    const [whole, ms = '0', deadline = '0', rss] = times;
    runs.push({
      name,
      path: pathOf(sha),
      outcome: rest.replace(whole, '').slice(0, 60),
      seconds: Number(ms) / 1000,
      deadlineSeconds: Number(deadline) / 1000,
      rssMb: rss === undefined ? null : Number(rss),
    });
    const stop = /^failed \([^)]*\)(?: ran=\S+ deadline=\S+(?: rss=\S+)?)?: ((?:TOO_LARGE|TIMEOUT): .*)$/.exec(rest);
    if (stop) stops.push({ path: pathOf(sha), reason: (stop[1] ?? '').replace(whole, '').slice(0, 300) });
  }
  return { runs, stops };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Job processes (BullMQ's forked processors) under `root`, with their peak RSS in kB. */
function jobPeaks(root: number): Map<number, number> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended while we looked
    }
  }
  const peaks = new Map<number, number>();
  for (const [pid, ppid] of parent) {
    if (ppid !== root) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('bullmq')) continue;
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (hwm !== undefined) peaks.set(pid, Number(hwm));
    } catch {
      // ended while we looked
    }
  }
  return peaks;
}

function tally(values: readonly (string | null | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v ?? 'none'] = (out[v ?? 'none'] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/**
 * `docq ingest --workers N <dir>` on the embedded defaults, in a sandbox of its own (a fresh
 * database directory, a private Redis on a free port), then what the database holds.
 */
export async function runFuzzIngest(opts: {
  readonly dir: string;
  readonly work: string;
  readonly workers: number;
  /** Run the built CLI (bin/docq.js) or the sources through tsx. */
  readonly built: boolean;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly nice?: boolean;
}): Promise<FuzzIngestResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...opts.env,
    REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    DOCQ_DATA_DIR: join(opts.work, 'db'),
    DOCQ_REDIS_DIR: join(opts.work, 'redis'),
    DOCQ_JOB_LOG: join(opts.work, 'jobs.log'),
  };
  delete env['MONGODB_URI'];
  delete env['DOCQ_QUEUE_PREFIX'];
  const cli = opts.built ? [join(ROOT, 'bin', 'docq.js')] : ['--import', 'tsx', join(ROOT, 'cli', 'docq.ts')];
  const args = [...cli, 'ingest', '--workers', String(opts.workers), opts.dir];
  const command = opts.nice ? 'nice' : process.execPath;
  const started = performance.now();
  const child = spawn(command, opts.nice ? ['-n', '10', process.execPath, ...args] : args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
  const peaks = new Map<number, number>();
  const poll = setInterval(() => {
    // Under `nice` the ingest is the nice process's child (exec keeps the pid: nice execs node).
    for (const [pid, kb] of jobPeaks(child.pid ?? 0)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kb));
  }, 500);
  const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearInterval(poll);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;

  const files = readdirSync(opts.dir);
  const distinct = new Set(
    files.map((f) =>
      createHash('sha256')
        .update(readFileSync(join(opts.dir, f)))
        .digest('hex'),
    ),
  );
  const db = await connectModels({ dataDir: join(opts.work, 'db'), syncIndexes: false });
  try {
    const docs = await db.models.Document.find(
      {},
      { sha256: 1, status: 1, error: 1, problems: 1, startedAt: 1, finishedAt: 1, source: 1 },
    ).lean();
    let slowest: FuzzIngestResult['slowest'] = null;
    for (const d of docs) {
      if (!d.startedAt || !d.finishedAt) continue;
      const s = (d.finishedAt.getTime() - d.startedAt.getTime()) / 1000;
      if (!slowest || s > slowest.seconds) slowest = { path: d.source.path ?? '?', seconds: s };
    }
    const paths = new Map(docs.map((d) => [d.sha256.slice(0, 12), d.source.path ?? '?']));
    const log = readJobLog(readFileSync(join(opts.work, 'jobs.log'), 'utf8'), (sha) => paths.get(sha) ?? sha);
    const slowestJob = log.runs.reduce<JobRun | null>((a, r) => (a === null || r.seconds > a.seconds ? r : a), null);
    const largestJob = log.runs.reduce<JobRun | null>((a, r) => ((r.rssMb ?? 0) > (a?.rssMb ?? 0) ? r : a), null);
    return {
      exitCode,
      seconds,
      files: files.length,
      distinctFiles: distinct.size,
      documents: docs.length,
      byStatus: tally(docs.map((d) => d.status)),
      failedByCode: tally(docs.filter((d) => d.status === 'failed').map((d) => d.error?.code)),
      pageProblemsByCode: tally(docs.flatMap((d) => d.problems.map((p) => p.code))),
      unfinished: docs.filter((d) => d.status === 'queued' || d.status === 'processing').length,
      slowest,
      slowestJob,
      largestJob,
      jobsPastDeadline: log.runs.filter((r) => r.seconds > r.deadlineSeconds).length,
      jobRuns: log.runs.length,
      stoppedJobs: log.stops,
      peakJobRssMb: Math.round(Math.max(0, ...peaks.values()) / 1024),
      output: output.join(''),
    };
  } finally {
    await db.close();
  }
}
