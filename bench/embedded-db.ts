// Benchmark of the embedded MongoDB-compatible server, driven through the official driver
// against a server in its own process (so its RSS is its own):
//   npx tsx bench/embedded-db.ts [--docs 20000]
// Prints the figures and writes bench/results/embedded-db.json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'bson';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { ensureMongo } from '../embedded-mongo/index.js';
import { readLock } from '../embedded-mongo/server-lock.js';

const { values: args } = parseArgs({ options: { docs: { type: 'string', default: '20000' } } });
const DOCS = Number(args.docs);
/** In-flight operations, like a handful of workers sharing one pool. */
const CONCURRENCY = 8;
const FIND_SAMPLES = 2_000;
const GROUP_RUNS = 3;
/** USER_HZ on Linux (sysconf(_SC_CLK_TCK)); /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** A report-sized document (~14 KB of BSON): cells with values, confidences and flags, checks, timings. */
function reportDocument(i: number): Document {
  const values = Array.from({ length: 120 }, (_, k) => ({
    key: `t${(k % 6) + 1}.row_${k}.natural_person`,
    raw: String((i * 7 + k) % 1000),
    value: (i * 7 + k) % 1000,
    confidence: 0.9 + (k % 10) / 100,
    flags: k % 17 === 0 ? ['low-ocr-confidence'] : [],
    cell: { tableId: `p${(k % 4) + 1}-t1`, row: k % 20, col: k % 7 },
  }));
  const checks = Array.from({ length: 17 }, (_, k) => ({
    rule: k < 10 ? `H${k + 1}` : `S${k - 9}`,
    status: (i + k) % 11 === 0 ? 'fail' : 'pass',
    expected: k * 3,
    actual: k * 3 + ((i + k) % 11 === 0 ? 1 : 0),
  }));
  return {
    sha256: `sha-${i.toString(16).padStart(12, '0')}`,
    status: i % 10 === 0 ? 'needs_review' : 'done',
    source: { path: `/corpus/reports/${i}.pdf`, crawlId: null },
    report: {
      template: i % 2 === 0 ? 'v2021' : 'v2019',
      year: 2015 + (i % 10),
      issuer: `Issuer ${i % 300}`,
      region: `Region ${i % 31}`,
      values,
    },
    checks,
    summary: {
      cells: values.length,
      flagged: values.filter((v) => v.flags.length > 0).length,
      checksFailed: checks.filter((c) => c.status === 'fail').length,
      meanConfidence: 0.94,
    },
    timings: { sniff: 1, text: 120 + (i % 50), ocr: 0, tables: 80, report: 12, checks: 2 },
    pipelineVersion: '0.1.0',
  };
}

/**
 * CPU µs for one serialize + deserialize of a report document in this process: the yardstick
 * for how fast this machine is right now, so figures can be compared across machines.
 */
function bsonRoundTripCpuUs(): number {
  const doc = reportDocument(1);
  const rounds = 500;
  const before = process.cpuUsage();
  for (let r = 0; r < rounds; r++) deserialize(serialize(doc));
  const used = process.cpuUsage(before);
  return Math.round((used.user + used.system) / rounds);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The server's CPU time (user + system) in ms: figures per core that hold on a busy machine. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function rssOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

async function inParallel(total: number, run: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) await run(next++);
    }),
  );
}

interface Rate {
  /** Operations per wall-clock second (depends on what else the machine runs). */
  readonly perSecond: number;
  /** Operations per second of server CPU time: the rate one free core would sustain. */
  readonly perServerCpuSecond: number;
}

async function measure(pid: number, count: number, run: () => Promise<void>): Promise<Rate> {
  const cpuBefore = cpuMsOf(pid);
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  const cpuMs = Math.max(1, cpuMsOf(pid) - cpuBefore);
  return { perSecond: Math.round(count / (wallMs / 1000)), perServerCpuSecond: Math.round(count / (cpuMs / 1000)) };
}

function upsertAll(col: Collection, pid: number, pass: number): Promise<Rate> {
  return measure(pid, DOCS, () =>
    inParallel(DOCS, (i) => {
      const { sha256, ...rest } = reportDocument(i);
      return col.updateOne(
        { sha256 },
        { $set: { ...rest, pass }, $setOnInsert: { createdAt: new Date() } },
        { upsert: true },
      );
    }),
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'docq-bench-db-'));
  delete process.env.MONGODB_URI;
  const server = await ensureMongo({ dataDir, port: 0 });
  const pid = readLock(dataDir)?.pid ?? 0;
  const client = await new MongoClient(server.uri, { maxPoolSize: CONCURRENCY }).connect();
  try {
    const col = client.db('docq').collection('bench_documents');
    await col.createIndex({ sha256: 1 }, { unique: true });
    await col.createIndex({ status: 1 });
    const docBytes = Buffer.byteLength(JSON.stringify(reportDocument(1)));
    const insertRate = await upsertAll(col, pid, 1);
    const replayRate = await upsertAll(col, pid, 2);
    const count = await col.countDocuments();
    const latencies: number[] = [];
    const findRate = await measure(pid, FIND_SAMPLES, async () => {
      for (let s = 0; s < FIND_SAMPLES; s++) {
        const i = (s * 7919) % DOCS;
        const t = performance.now();
        const found = await col.findOne({ sha256: `sha-${i.toString(16).padStart(12, '0')}` });
        latencies.push(performance.now() - t);
        if (!found) throw new Error(`document ${i} not found`);
      }
    });
    latencies.sort((a, b) => a - b);
    const loadAverage = loadavg()[0];
    const yardstick = bsonRoundTripCpuUs();
    const groupTimes: number[] = [];
    let groups = 0;
    for (let r = 0; r < GROUP_RUNS; r++) {
      const t = performance.now();
      const rows = await col
        .aggregate([{ $group: { _id: '$report.year', n: { $sum: 1 }, flagged: { $sum: '$summary.flagged' } } }])
        .toArray();
      groupTimes.push(performance.now() - t);
      groups = rows.length;
    }
    groupTimes.sort((a, b) => a - b);
    const memory = rssOf(pid);
    const results = {
      benchmark: 'embedded-db',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      documents: count,
      documentJsonBytes: docBytes,
      concurrency: CONCURRENCY,
      loadAverageDuringRun: loadAverage,
      bsonRoundTripCpuUs: yardstick,
      upsertsInsert: insertRate,
      upsertsReplay: replayRate,
      indexedFindMs: {
        p50: +percentile(latencies, 50).toFixed(3),
        p99: +percentile(latencies, 99).toFixed(3),
        serverCpuMsPerFind: +(1000 / findRate.perServerCpuSecond).toFixed(3),
        samples: FIND_SAMPLES,
      },
      groupOverAllMs: { median: Math.round(percentile(groupTimes, 50)), groups },
      serverRssMb: memory.rssMb,
      serverPeakRssMb: memory.peakRssMb,
      targets: { upsertsPerSecond: 2000, indexedFindP50Ms: 1, rssMb: 300 },
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'embedded-db.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
