/**
 * Review API latency (docs/review-api.md): p50/p99 of the queue listing and of one document view
 * under 20 concurrent clients over 5,000 stored reports, and of a cell crop: cached, cold, and the
 * first crop of a page nothing prepared. The reports are copies of real extractions of the dev corpus
 * (born-digital PDFs, one scanned page read by OCR) under distinct sha256, inserted through the
 * models' collections; every copy is in review so the queue sorts the whole archive.
 * The database is the embedded server in its own process, and so is the API
 * (bench/review-api-server.ts), as `docq serve` runs them; its CPU time per request is measured
 * beside the latencies (a figure the machine's load does not inflate much).
 *
 * What is warm and what is not:
 * - queue / view: a running server (one request of each first); views and listings are cached
 *   in memory until a decision or a change of the record (api/view-cache.ts, api/review-queue.ts).
 * - crop cached: the crop was made before, asked as the review page asks (the URL names the view's
 *   extraction: answered from memory); cropCachedUnnamedUrlMs: the same without it (the document's
 *   extraction read from the database for every batch of requests).
 * - crop cold: a crop never cut before, of a page prepared beforehand (its image asked first), as the
 *   server does in the background when a view is opened.
 * - crop first of a page: the whole cache deleted: the page is rendered (digital, pdftoppm) or made
 *   upright as the OCR read it (scan: the recorded turn and deskew applied) before the crop is cut.
 * The clients' CPU per request is measured too: they share the machine's two cores with the API.
 *
 *   nice -n 5 npx tsx bench/review-api.ts [--quick] [--reports 5000] [--clients 20] [--requests 25] [--profile <dir>]
 * --quick: four born-digital reports and the scan as the bases of the copies (instead of all).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractDocument } from '../core/index.js';
import type { Document } from '../core/model/index.js';
import { createOcrEngine } from '../core/ocr/create-ocr-engine.js';
import { findRunningServer, spawnServer, stopServerProcess } from '../embedded-mongo/ensure-mongo.js';
import { connectModels, saveExtraction, syncIndexes } from '../models/index.js';
import { toDocumentFields, toReportFields } from '../models/to-records.js';
import { createExtractQueue, pingRedis } from '../queue/index.js';
import { median, SHARED, writeResults } from './bench-util.js';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '5000' },
    clients: { type: 'string', default: '20' },
    requests: { type: 'string', default: '25' },
    quick: { type: 'boolean', default: false },
    /** A V8 CPU profile of the API process (node --cpu-prof) written into this directory. */
    profile: { type: 'string' },
  },
});
const REPORTS = Number(args.reports);
const CLIENTS = Number(args.clients);
const REQUESTS = Number(args.requests);
const DEV = join(SHARED, 'corpus/dev');
/** One scanned page (a phone-camera JPEG of 表三) read by OCR: its crops are the slow kind. */
const SCAN = join(DEV, 'synth-21x-2/pages/heavy-2.jpg');

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function figures(xs: readonly number[]): { p50: number; p99: number; n: number } {
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { p50: r(median(xs)), p99: r(quantile(xs, 0.99)), n: xs.length };
}

/**
 * The clients' connections (keep-alive, one per client). node:http rather than fetch: the twenty
 * clients run in this one process on the same two cores as the API, and fetch (undici's) spent
 * 1–2 ms of CPU a request here — more than the API it measures (clientCpuMsPerRequest says how much
 * this client takes now). A browser's work is on the reviewer's machine.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

async function timed(url: string): Promise<number> {
  const t = performance.now();
  const status = await new Promise<number>((resolve, reject) => {
    get(url, { agent }, (response) => {
      response.on('data', () => undefined);
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    }).once('error', reject);
  });
  if (status !== 200) throw new Error(`${url}: ${status}`);
  return performance.now() - t;
}

/** `clients` loops of `requests` sequential calls each, all at once: every call's latency. */
async function underLoad(urls: () => string, clients: number, requests: number): Promise<number[]> {
  const out: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < requests; i++) out.push(await timed(urls()));
    }),
  );
  return out;
}

async function startRedis(dir: string): Promise<{ url: string; stop(): void }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn('redis-server', ['--port', String(port), '--dir', dir, '--save', ''], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await pingRedis(url)); i++) await new Promise((r) => setTimeout(r, 50));
  return { url, stop: () => void child.kill('SIGTERM') };
}

async function startMongo(dataDir: string): Promise<{ uri: string; stop(): Promise<void> }> {
  await spawnServer(dataDir, 0, { strictPort: true });
  for (let i = 0; i < 900; i++) {
    const owner = await findRunningServer(dataDir);
    if (owner)
      return {
        uri: `mongodb://${owner.host}:${owner.port}/bench?directConnection=true`,
        stop: () => stopServerProcess(owner.pid),
      };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`embedded MongoDB did not start; see ${dataDir}/server.log`);
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** The API in its own process (bench/review-api-server.ts), with its CPU time read from /proc. */
async function startServer(
  uri: string,
  redisUrl: string,
  cacheDir: string,
): Promise<{ url: string; cpuMs(): number; stop(): void }> {
  const script = fileURLToPath(new URL('./review-api-server.ts', import.meta.url));
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, uri, redisUrl, cacheDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the API process ended (${code})`)));
  });
  return {
    url,
    cpuMs: () => {
      // utime and stime: fields 14 and 15, after the parenthesised command name.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
    },
    stop: () => void child.kill('SIGTERM'),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'docq-bench-review-'));
const [redis, mongo] = await Promise.all([startRedis(dir), startMongo(join(dir, 'db'))]);
const db = await connectModels({ uri: mongo.uri, dbName: 'bench' });
const models = db.models;
const queue = createExtractQueue({ url: redis.url });
try {
  await syncIndexes(models);
  // Real extractions: every born-digital dev report, and one scan read by OCR.
  const bases: { doc: Document; path: string }[] = [];
  for (const name of readdirSync(DEV)
    .sort()
    .slice(0, args.quick ? 4 : undefined)) {
    const path = join(DEV, name, 'digital.pdf');
    const bytes = await readFile(path).catch(() => null);
    if (bytes) bases.push({ doc: await extractDocument({ bytes, name: path }), path });
  }
  const engine = await createOcrEngine({ workers: 1 });
  const scan = await extractDocument({ bytes: await readFile(SCAN), name: SCAN }, { ocr: engine });
  await engine.terminate();
  bases.push({ doc: scan, path: SCAN });
  for (const b of bases) await saveExtraction(models, b.doc, { source: { path: b.path } });
  // Copies under distinct sha256, straight into the collections (pages and tables only for the bases).
  const now = Date.now();
  for (let start = 0; start < REPORTS - bases.length; start += 500) {
    const documents: Record<string, unknown>[] = [];
    const reports: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(REPORTS - bases.length, start + 500); i++) {
      const base = bases[i % bases.length]!;
      const sha256 = createHash('sha256').update(`${base.doc.sha256}:${i}`).digest('hex');
      const at = new Date(now - i * 1000);
      documents.push({
        ...toDocumentFields(base.doc, { source: { path: base.path } }),
        sha256,
        status: 'needs_review',
        review: null,
        createdAt: at,
        updatedAt: at,
      });
      reports.push({ ...toReportFields(base.doc), sha256, corrections: {} });
    }
    await models.Document.collection.insertMany(documents);
    await models.Report.collection.insertMany(reports);
  }
  const stored = await models.Document.countDocuments({});
  const server = await startServer(mongo.uri, redis.url, join(dir, 'cache'));
  const url = server.url;

  const flagged = bases.find((b) => b.doc.status === 'needs_review' && b.doc.sha256 !== scan.sha256) ?? bases[0]!;
  const viewUrl = `${url}/documents/${flagged.doc.sha256}/review`;
  // Warm-up: one of each, so the figures are of a running server.
  await timed(`${url}/review/queue`);
  await timed(viewUrl);
  // Opening a view renders the pages of its flagged cells in the background: let that finish
  // (asking for those pages waits for the same renders) so it does not run inside the figures.
  const flaggedPages = new Set(
    Object.values(flagged.doc.report?.cells ?? {})
      .filter((c) => c.flags.length > 0 && c.source)
      .map((c) => c.source!.page),
  );
  for (const n of flaggedPages) await timed(`${url}/documents/${flagged.doc.sha256}/pages/${n}/image`);
  // The listing set the head of the queue preparing in the background (page renders in the server's
  // thread): the figures are of a server that has finished that, so wait until its CPU is idle.
  const settling = performance.now();
  for (let quiet = 0, i = 0; quiet < 2 && i < 240; i++) {
    const before = server.cpuMs();
    await new Promise((r) => setTimeout(r, 500));
    quiet = server.cpuMs() - before < 25 ? quiet + 1 : 0;
  }
  const backgroundSettledMs = Math.round(performance.now() - settling);
  let page = 0;
  /** Latencies of a phase and the API process's CPU milliseconds per request in it. */
  const phase = async (
    urls: () => string,
    clients: number,
    requests: number,
  ): Promise<{ ms: number[]; cpuMsPerRequest: number; clientCpuMsPerRequest: number }> => {
    const cpu = server.cpuMs();
    const client = process.cpuUsage();
    const ms = await underLoad(urls, clients, requests);
    const used = process.cpuUsage(client);
    const perRequest = (x: number): number => Math.round((x / ms.length) * 100) / 100;
    return {
      ms,
      cpuMsPerRequest: perRequest(server.cpuMs() - cpu),
      clientCpuMsPerRequest: perRequest((used.user + used.system) / 1000),
    };
  };
  // The same one client at a time: the latency without contention, beside the figures under load.
  const queueSerial = await phase(() => `${url}/review/queue?sort=flags&limit=50`, 1, 50);
  const viewSerial = await phase(() => viewUrl, 1, 50);
  const queueLoad = await phase(
    () => `${url}/review/queue?sort=flags&limit=50&offset=${(page++ % 10) * 50}`,
    CLIENTS,
    REQUESTS,
  );
  const viewLoad = await phase(() => viewUrl, CLIENTS, REQUESTS);

  // Crops: cells with a box on the scan and on the born-digital report, asked as the review page asks
  // (the URL names the extraction the view shows: view.extraction).
  const cellsOf = (doc: Document): string[] =>
    Object.values(doc.report?.cells ?? {})
      .filter((c) => c.source && c.value !== null)
      .map((c) => c.key);
  const pageOf = (doc: Document, key: string): number => doc.report!.cells[key]!.source!.page;
  const extraction = new Map<string, string>();
  for (const doc of [scan, flagged.doc]) {
    const view = (await (await fetch(`${url}/documents/${doc.sha256}/review`)).json()) as { extraction: string };
    extraction.set(doc.sha256, view.extraction);
  }
  const crop = (doc: Document, key: string, named = true): string =>
    `${url}/documents/${doc.sha256}/cells/${key}/crop${named ? `?x=${extraction.get(doc.sha256)}` : ''}`;
  const cacheDir = join(dir, 'cache');
  const firstOfPage: Record<string, number[]> = { scan: [], digital: [] };
  /** The API's CPU milliseconds (all its threads) spent on the timed crops of each kind. */
  const coldCpu: Record<string, number> = { scan: 0, digital: 0, scanFirst: 0, digitalFirst: 0 };
  const cpuOf = async (kind: string, request: () => Promise<number>): Promise<number> => {
    const cpu = server.cpuMs();
    const t = await request();
    coldCpu[kind]! += server.cpuMs() - cpu;
    return t;
  };
  const cold: Record<string, number[]> = { scan: [], digital: [] };
  for (const [name, doc] of [
    ['scan', scan],
    ['digital', flagged.doc],
  ] as const) {
    const keys = cellsOf(doc);
    for (let round = 0; round < 3; round++) {
      // Nothing prepared: the page is rendered or made upright as the OCR read it, then cropped. (The
      // server's memory follows its disk cache: a page whose file is gone is rendered again.)
      await rm(cacheDir, { recursive: true, force: true, maxRetries: 5 }); // the server may be writing into it
      firstOfPage[name]!.push(await cpuOf(`${name}First`, () => timed(crop(doc, keys[round]!))));
      // The pages prepared (as a view's background work leaves them), crops never cut before.
      const measured = keys.slice(10 + round * 10, 20 + round * 10);
      for (const n of new Set(measured.map((k) => pageOf(doc, k))))
        await timed(`${url}/documents/${doc.sha256}/pages/${n}/image`);
      for (const key of measured) cold[name]!.push(await cpuOf(name, () => timed(crop(doc, key))));
    }
  }
  const scanKeys = cellsOf(scan);
  for (const key of scanKeys.slice(0, 40)) await timed(crop(scan, key));
  for (const key of scanKeys.slice(0, 40)) await timed(crop(scan, key, false));
  let k = 0;
  // One untimed round of the same load first: the figures are of a running server whose hot path is
  // compiled (the first few hundred requests of a fresh process run unoptimised code: 0.2–0.3 ms of
  // CPU a cached crop against 0.06–0.08 after).
  await underLoad(() => crop(scan, scanKeys[k++ % 40]!), CLIENTS, REQUESTS);
  await underLoad(() => crop(scan, scanKeys[k++ % 40]!, false), CLIENTS, REQUESTS);
  const cachedLoad = await phase(() => crop(scan, scanKeys[k++ % 40]!), CLIENTS, REQUESTS);
  const cachedUnnamed = await phase(() => crop(scan, scanKeys[k++ % 40]!, false), CLIENTS, REQUESTS);
  server.stop();

  const result = {
    reports: stored,
    clients: CLIENTS,
    requestsPerClient: REQUESTS,
    bases: bases.length,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    backgroundSettledMs,
    queueListingMs: figures(queueLoad.ms),
    documentViewMs: figures(viewLoad.ms),
    oneClientMs: { queueListing: figures(queueSerial.ms), documentView: figures(viewSerial.ms) },
    apiCpuMsPerRequest: {
      queueListing: { oneClient: queueSerial.cpuMsPerRequest, clients: queueLoad.cpuMsPerRequest },
      documentView: { oneClient: viewSerial.cpuMsPerRequest, clients: viewLoad.cpuMsPerRequest },
      cropCached: cachedLoad.cpuMsPerRequest,
      cropCachedUnnamed: cachedUnnamed.cpuMsPerRequest,
      // /proc ticks are 10 ms: averages over the 30 cold and 3 first crops of each kind.
      cropCold: { scan: round(coldCpu['scan']! / 30), digital: round(coldCpu['digital']! / 30) },
      cropFirstOfPage: { scan: round(coldCpu['scanFirst']! / 3), digital: round(coldCpu['digitalFirst']! / 3) },
    },
    clientCpuMsPerRequest: {
      queueListing: queueLoad.clientCpuMsPerRequest,
      documentView: viewLoad.clientCpuMsPerRequest,
      cropCached: cachedLoad.clientCpuMsPerRequest,
    },
    cropCachedMs: figures(cachedLoad.ms),
    cropCachedUnnamedUrlMs: figures(cachedUnnamed.ms),
    cropColdPagePreparedMs: { scan: figures(cold['scan']!), digital: figures(cold['digital']!) },
    cropFirstOfUnpreparedPageMs: { scan: figures(firstOfPage['scan']!), digital: figures(firstOfPage['digital']!) },
  };
  console.log(JSON.stringify(result, null, 1));
  console.log(`written ${await writeResults('review-api', result)}`);
} finally {
  agent.destroy();
  await queue.close();
  await db.close();
  await mongo.stop();
  redis.stop();
  await rm(dir, { recursive: true, force: true });
}
