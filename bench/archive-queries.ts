/**
 * Queries over an archive of 20,000 stored reports (the embedded server in its own process, as
 * `docq` runs it, or MONGODB_URI when set): an issuer's series for one key and a by-province-and-year
 * aggregate, p50/p99, with the server's CPU time and the bare-scan floor.
 *   npx tsx bench/archive-queries.ts [--quick] [--reports 20000] [--series 300] [--aggregates 10] [--data-dir <dir> [--rebuild]]
 * The reports are real in shape: every cell of the 淮安市 2024 report (born-digital, extracted by the
 * pipeline), values varied per report; 1,900 issuers (real counties of the division data) × 10
 * years, plus 1,000 second copies of some of those reports (stored, counted once). They are stored
 * as a database from before the report facts existed (reports only), so the first query's rebuild of
 * the facts is measured too. `--data-dir` keeps the loaded database (and its facts) for the next run
 * (loading is the slow part; `--rebuild` drops the facts to measure their rebuild again). `--quick`: 5,000 reports. Writes bench/results/archive-queries.json.
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extractDocument } from '../core/index.js';
import { divisionIndex, lineage } from '../core/issuer/divisions.js';
import { ensureMongo } from '../embedded-mongo/index.js';
import { aggregateByRegion, issuerSeries } from '../models/archive-queries.js';
import { connectModels, ensureReportFacts, syncIndexes } from '../models/index.js';
import { toReportFields } from '../models/to-records.js';
import { SHARED } from './corpus-issuers.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reports: { type: 'string' },
    series: { type: 'string', default: '300' },
    aggregates: { type: 'string', default: '10' },
    'data-dir': { type: 'string' },
    rebuild: { type: 'boolean', default: false },
  },
});
const REPORTS = Number(args.reports ?? (args.quick ? 5000 : 20000));
const YEARS = 10;
/** One document in twenty is a second copy of a report (a scan beside the PDF): stored, counted once. */
const COPIES = Math.floor(REPORTS / 20);
const ISSUERS = Math.ceil((REPORTS - COPIES) / YEARS);
const KEY = 'applications.new_received.total';
/** Insert batches in flight: the client builds the next while the server stores one. */
const IN_FLIGHT = 2;
const BATCH = 250;
/** USER_HZ on Linux: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

const pct = (sorted: readonly number[], p: number): number =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;

/** CPU seconds (user + system) of a process, or of this one. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const base = await extractDocument({
  bytes: readFileSync(
    join(SHARED, 'corpus/real/gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf'),
  ),
});
const fields = toReportFields(base)!;
const counties = [...divisionIndex().byCode.values()].filter((d) => d.level === 'county');
const step = Math.max(1, Math.floor(counties.length / ISSUERS));
const countyOf = (issuer: number): (typeof counties)[number] => counties[(issuer * step) % counties.length]!;

/** Report i as the pipeline would have stored it (before the report facts existed). */
function report(i: number): Record<string, unknown> {
  const copy = i >= REPORTS - COPIES;
  // A copy repeats the issuer and year of an earlier report.
  const of = copy ? (i - (REPORTS - COPIES)) * 19 : i;
  const issuer = of % ISSUERS;
  const county = countyOf(issuer);
  const names = lineage(county);
  const cells = fields.cells.map((c, k) => ({
    ...c,
    value: c.value === null ? null : (c.value + i + k) % 5000,
    flags: (i + k) % 53 === 0 ? ['low-confidence'] : [],
  }));
  return {
    ...fields,
    sha256: i.toString(16).padStart(64, '0'),
    reportYear: 2015 + Math.floor(of / ISSUERS),
    issuerId: `${county.code}:`,
    region: {
      code: county.code,
      province: names[0]?.name ?? null,
      city: names.find((d) => d.level === 'city')?.name ?? null,
      county: county.name,
      town: null,
    },
    reading: 'text-layer',
    copyGroup: copy ? `g${of}` : null,
    copyRole: copy ? 'copy' : null,
    cells,
    corrections: {},
    updatedAt: new Date(),
  };
}

const keep = args['data-dir'];
const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'docq-archive-bench-'));
const reuse = keep !== undefined && existsSync(join(dataDir, 'docq-embedded.sqlite'));
const server = await ensureMongo({ dataDir, port: 0 });
const db = await connectModels({ uri: server.uri, dbName: 'archive_bench', syncIndexes: false });
const { models } = db;
try {
  // A kept database is measured as one from before the facts again with --rebuild.
  if (reuse && args.rebuild) {
    await models.ReportFacts.collection.drop().catch(() => undefined);
    await models.connection
      .collection('docqmeta')
      .drop()
      .catch(() => undefined);
  }
  await syncIndexes(models);
  const held = await models.Report.estimatedDocumentCount();
  if (reuse && held !== REPORTS)
    throw new Error(`${dataDir} holds ${held} reports, not ${REPORTS}: use another --data-dir`);
  const t0 = performance.now();
  if (!reuse) {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let start = (next += BATCH) - BATCH; start < REPORTS; start = (next += BATCH) - BATCH) {
          const batch = Array.from({ length: Math.min(BATCH, REPORTS - start) }, (_, k) => report(start + k));
          await models.Report.collection.insertMany(batch, { ordered: false });
        }
      }),
    );
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(
    `${reuse ? 'reused' : 'stored'} ${REPORTS} reports (${fields.cells.length} cells each) in ${loadSeconds.toFixed(1)} s`,
  );

  // A database from before the report facts: the first query derives them (models/report-facts.ts).
  let serverCpu = cpuSeconds(server.pid);
  const t1 = performance.now();
  const rebuilt = await ensureReportFacts(models);
  const backfill = {
    ...rebuilt,
    seconds: Math.round((performance.now() - t1) / 100) / 10,
    serverCpuSeconds: Math.round((cpuSeconds(server.pid) - serverCpu) * 10) / 10,
  };
  console.log(`report facts: ${JSON.stringify(backfill)}`);

  const seriesMs: number[] = [];
  for (let q = 0; q < Number(args.series); q++) {
    const county = countyOf((q * 7919) % ISSUERS);
    const t = performance.now();
    const s = await issuerSeries(models, `${county.code}:`, KEY);
    seriesMs.push(performance.now() - t);
    if ('code' in s || s.points.length === 0) throw new Error(`no series for ${county.code}`);
  }
  const aggregateMs: number[] = [];
  let groups = 0;
  serverCpu = cpuSeconds(server.pid);
  const clientCpu = ownCpuSeconds();
  for (let q = 0; q < Number(args.aggregates); q++) {
    const t = performance.now();
    const rows = await aggregateByRegion(models, KEY, ['province', 'year']);
    aggregateMs.push(performance.now() - t);
    groups = rows.length;
    // Counted once: every report that is not a second copy, in exactly one group.
    const counted = rows.reduce((n, r) => n + r.reports, 0);
    if (counted !== REPORTS - COPIES) throw new Error(`aggregate counted ${counted} reports, not ${REPORTS - COPIES}`);
  }
  const aggregateCpu = {
    serverSecondsEach: Math.round(((cpuSeconds(server.pid) - serverCpu) / aggregateMs.length) * 100) / 100,
    clientSecondsEach: Math.round(((ownCpuSeconds() - clientCpu) / aggregateMs.length) * 100) / 100,
  };
  // The server's floor on this machine at this moment: the same reads with nothing computed.
  const floorSeriesMs: number[] = [];
  for (let q = 0; q < Math.min(100, Number(args.series)); q++) {
    const county = countyOf((q * 7919) % ISSUERS);
    const t = performance.now();
    await models.ReportFacts.find({ issuerId: `${county.code}:` }, { _id: 0, sha256: 1 }).lean();
    floorSeriesMs.push(performance.now() - t);
  }
  const scan = async (collection: 'Report' | 'ReportFacts'): Promise<{ p50Ms: number; serverCpuSeconds: number }> => {
    const ms: number[] = [];
    const before = cpuSeconds(server.pid);
    for (let q = 0; q < 3; q++) {
      const t = performance.now();
      await models[collection].aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return { p50Ms: pct(ms, 50), serverCpuSeconds: Math.round(((cpuSeconds(server.pid) - before) / 3) * 100) / 100 };
  };
  const floorFactsScan = await scan('ReportFacts');
  const floorReportsScan = await scan('Report');
  for (const list of [seriesMs, aggregateMs, floorSeriesMs]) list.sort((a, b) => a - b);
  const result = {
    server: server.owned ? 'embedded (own process)' : 'MONGODB_URI',
    reports: REPORTS,
    issuers: ISSUERS,
    copies: COPIES,
    cellsPerReport: fields.cells.length,
    series: { queries: seriesMs.length, p50Ms: pct(seriesMs, 50), p99Ms: pct(seriesMs, 99), targetP99Ms: 200 },
    aggregate: {
      queries: aggregateMs.length,
      groups,
      p50Ms: pct(aggregateMs, 50),
      p99Ms: pct(aggregateMs, 99),
      targetP99Ms: 5000,
      cpu: aggregateCpu,
    },
    floor: {
      seriesLookupP50Ms: pct(floorSeriesMs, 50),
      /** A $group counting the report facts: what any total over them costs at least. */
      factsScan: floorFactsScan,
      /** The same over the reports themselves (what the aggregate read before the facts). */
      reportsScan: floorReportsScan,
    },
    backfill,
    loadSeconds: reuse ? null : Math.round(loadSeconds * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('results/archive-queries.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await db.close();
  await server.stop();
  if (keep === undefined) rmSync(dataDir, { recursive: true, force: true });
}
