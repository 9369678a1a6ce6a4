/**
 * Queries over an archive of 20,000 stored reports (the embedded server in its own process, as
 * `docq` runs it): an issuer's series for one key and a by-province-and-year aggregate, p50/p99.
 *   npx tsx bench/archive-queries.ts [--reports 20000] [--series 300] [--aggregates 10]
 * The reports are real in shape: every cell of the 淮安市 2024 report (born-digital, extracted by the
 * pipeline), values varied per report; 1,900 issuers (real counties of the division data) × 10
 * years, plus 1,000 second copies of some of those reports (stored, counted once). Writes bench/results/archive-queries.json.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extractDocument } from '../core/index.js';
import { divisionIndex, lineage } from '../core/issuer/divisions.js';
import { ensureMongo } from '../embedded-mongo/index.js';
import { aggregateByRegion, issuerSeries } from '../models/archive-queries.js';
import { connectModels, syncIndexes } from '../models/index.js';
import { factsOf } from '../models/report-facts.js';
import { toReportFields } from '../models/to-records.js';
import { SHARED } from './corpus-issuers.js';

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '20000' },
    series: { type: 'string', default: '300' },
    aggregates: { type: 'string', default: '10' },
  },
});
const REPORTS = Number(args.reports);
const YEARS = 10;
/** One document in twenty is a second copy of a report (a scan beside the PDF): stored, counted once. */
const COPIES = Math.floor(REPORTS / 20);
const ISSUERS = Math.ceil((REPORTS - COPIES) / YEARS);
const KEY = 'applications.new_received.total';

const pct = (sorted: readonly number[], p: number): number =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;

const base = await extractDocument({
  bytes: readFileSync(
    join(SHARED, 'corpus/real/gov_annual_reports/huaian_city_2024_gov_info_disclosure_annual_report.pdf'),
  ),
});
const fields = toReportFields(base)!;
const counties = [...divisionIndex().byCode.values()].filter((d) => d.level === 'county');
const step = Math.max(1, Math.floor(counties.length / ISSUERS));

const dataDir = mkdtempSync(join(tmpdir(), 'docq-archive-bench-'));
const server = await ensureMongo({ dataDir, port: 0 });
const db = await connectModels({ uri: server.uri, dbName: 'archive_bench' });
const { models } = db;
try {
  await syncIndexes(models);
  const t0 = performance.now();
  const BATCH = 500;
  for (let start = 0; start < REPORTS; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(REPORTS, start + BATCH); i++) {
      const copy = i >= REPORTS - COPIES;
      // A copy repeats the issuer and year of an earlier report.
      const of = copy ? (i - (REPORTS - COPIES)) * 19 : i;
      const issuer = of % ISSUERS;
      const county = counties[(issuer * step) % counties.length]!;
      const names = lineage(county);
      const cells = fields.cells.map((c, k) => ({
        ...c,
        value: c.value === null ? null : (c.value + i + k) % 5000,
        flags: (i + k) % 53 === 0 ? ['low-confidence'] : [],
      }));
      batch.push({
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
        facts: factsOf(cells, {}),
        corrections: {},
      });
    }
    await models.Report.collection.insertMany(batch, { ordered: false });
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(`stored ${REPORTS} reports (${fields.cells.length} cells each) in ${loadSeconds.toFixed(1)} s`);

  const seriesMs: number[] = [];
  for (let q = 0; q < Number(args.series); q++) {
    const county = counties[(((q * 7919) % ISSUERS) * step) % counties.length]!;
    const t = performance.now();
    const s = await issuerSeries(models, `${county.code}:`, KEY);
    seriesMs.push(performance.now() - t);
    if ('code' in s || s.points.length === 0) throw new Error(`no series for ${county.code}`);
  }
  const aggregateMs: number[] = [];
  let groups = 0;
  for (let q = 0; q < Number(args.aggregates); q++) {
    const t = performance.now();
    const rows = await aggregateByRegion(models, KEY, ['province', 'year']);
    aggregateMs.push(performance.now() - t);
    groups = rows.length;
  }
  // The server's own floor on this machine at this moment: the same reads with nothing computed.
  const floorSeriesMs: number[] = [];
  for (let q = 0; q < Math.min(100, Number(args.series)); q++) {
    const county = counties[(((q * 7919) % ISSUERS) * step) % counties.length]!;
    const t = performance.now();
    await models.Report.aggregate([{ $match: { issuerId: `${county.code}:` } }, { $group: { _id: '$sha256' } }]);
    floorSeriesMs.push(performance.now() - t);
  }
  const floorScanMs: number[] = [];
  for (let q = 0; q < Math.min(3, Number(args.aggregates)); q++) {
    const t = performance.now();
    await models.Report.aggregate([{ $group: { _id: '$reportYear', n: { $sum: 1 } } }]);
    floorScanMs.push(performance.now() - t);
  }
  for (const list of [seriesMs, aggregateMs, floorSeriesMs, floorScanMs]) list.sort((a, b) => a - b);
  const result = {
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
    },
    floor: {
      seriesLookupP50Ms: pct(floorSeriesMs, 50),
      scanGroupByYearP50Ms: pct(floorScanMs, 50),
    },
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    loadAverage: loadavg()[0],
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('results/archive-queries.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await db.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
