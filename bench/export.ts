// Export benchmark: N stored reports (copies of real dev extractions, a tenth with human decisions)
// exported by the built CLI to XLSX, CSV and JSONL, each in its own process so its peak RSS is its own:
//   npx tsx bench/export.ts [--reports 5000]      (KEEP=1 leaves the server and its data for profiling)
// Builds first (the figures are for dist/, what `npx docq` runs). Prints the figures and writes
// bench/results/export.json. Target: XLSX under 30 s and 300 MB for 5,000 reports. Beside the wall
// time, the CPU seconds of the export process and of the database server, which a loaded machine
// does not inflate as much (run it with `nice -n 5` on a shared machine).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractDocument } from '../core/index.js';
import { ensureMongo } from '../embedded-mongo/index.js';
import { connectModels, saveExtraction } from '../models/index.js';
import { SHARED, writeResults } from './bench-util.js';

const { values: args } = parseArgs({ options: { reports: { type: 'string', default: '5000' } } });
const REPORTS = Number(args.reports);
const SOURCES = ['synth-1-0', 'synth-1-2', 'synth-2019-2', 'synth-21x-2'];
const INSERT_BATCH = 250;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function hex(i: number): string {
  return i.toString(16).padStart(64, '0');
}

const dir = mkdtempSync(join(tmpdir(), 'docq-export-bench-'));
const mongo = await ensureMongo({ dataDir: join(dir, 'db') });
const url = new URL(mongo.uri);
url.pathname = '/docq_bench_export';
const uri = url.toString();
try {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const db = await connectModels({ uri });
  const { Document, Report } = db.models;
  for (const [i, name] of SOURCES.entries()) {
    const bytes = new Uint8Array(readFileSync(join(SHARED, 'corpus/dev', name, 'digital.pdf')));
    const doc = await extractDocument({ bytes, name });
    await saveExtraction(db.models, { ...doc, sha256: hex(i) }, { source: { path: `/archive/${name}.pdf` } });
  }
  const templates = await Promise.all(
    SOURCES.map(async (_, i) => ({
      doc: await Document.collection.findOne({ sha256: hex(i) }, { projection: { _id: 0 } }),
      report: await Report.collection.findOne({ sha256: hex(i) }, { projection: { _id: 0 } }),
    })),
  );
  await Document.deleteMany({});
  await Report.deleteMany({});
  const started = performance.now();
  for (let from = 0; from < REPORTS; from += INSERT_BATCH) {
    const docs = [];
    const reports = [];
    for (let i = from; i < Math.min(REPORTS, from + INSERT_BATCH); i++) {
      const t = templates[i % templates.length]!;
      const sha256 = hex(1000 + i);
      const crawled = i % 3 === 0 ? { url: `https://www.example.gov.cn/ndbg/${i}.pdf`, crawlId: 'gov' } : {};
      docs.push({
        ...t.doc,
        sha256,
        source: { path: `/archive/${i}.pdf`, ...crawled },
        metadata: { ...t.doc!['metadata'], issuer: `${t.doc!['metadata']?.issuer ?? ''}${i % 97}` },
      });
      const cells = t.report!['cells'] as { key: string; value: number | null; flags: string[] }[];
      const flagged = cells.find((c) => c.flags.length > 0);
      // A tenth of the reports carry a human decision, so provenance shading and the flags sheet have work.
      const corrections =
        i % 10 === 0 && flagged
          ? {
              [flagged.key.replaceAll('.', ':')]: {
                key: flagged.key,
                action: 'correct',
                value: (flagged.value ?? 0) + 1,
                old: flagged.value,
                by: 'bench',
                at: new Date(),
              },
            }
          : {};
      reports.push({ ...t.report, sha256, corrections });
    }
    await Document.collection.insertMany(docs);
    await Report.collection.insertMany(reports);
  }
  const insertSeconds = (performance.now() - started) / 1000;
  await db.close();
  console.log(`stored ${REPORTS} reports in ${insertSeconds.toFixed(1)} s`);

  const serverCpu = (): number => {
    // utime + stime of the server process, in clock ticks (100 a second on Linux).
    if (mongo.pid === undefined) return NaN;
    const fields = readFileSync(`/proc/${mongo.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const figures: Record<
    string,
    { seconds: number; cpuSeconds: number; serverCpuSeconds: number; peakRssMb: number; bytes: number; load1: number }
  > = {};
  for (const format of ['xlsx', 'csv', 'jsonl']) {
    const out = join(dir, `reports.${format}`);
    const before = serverCpu();
    const load1 = loadavg()[0]!;
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'TIME %e %M %U %S',
        process.execPath,
        join(ROOT, 'bin/docq.js'),
        'export',
        '--format',
        format,
        '--out',
        out,
      ],
      { env: { ...process.env, MONGODB_URI: uri }, encoding: 'utf8' },
    );
    const match = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
    if (run.status !== 0 || !match) throw new Error(`export ${format} failed: ${run.stderr}`);
    figures[format] = {
      seconds: Number(match[1]),
      cpuSeconds: Math.round((Number(match[3]) + Number(match[4])) * 100) / 100,
      serverCpuSeconds: Math.round((serverCpu() - before) * 100) / 100,
      peakRssMb: Math.round(Number(match[2]) / 1024),
      bytes: statSync(out).size,
      load1,
    };
    console.log(
      `${format}: ${figures[format]!.seconds.toFixed(1)} s (CPU: export ${figures[format]!.cpuSeconds} s, server ${figures[format]!.serverCpuSeconds} s), peak RSS ${figures[format]!.peakRssMb} MB, ${(figures[format]!.bytes / 1e6).toFixed(1)} MB written (${run.stderr.split('\n').find((l) => l.startsWith('exported'))})`,
    );
  }
  const path = await writeResults('export', {
    reports: REPORTS,
    sources: SOURCES,
    database: 'embedded server (own process)',
    cli: 'dist (node bin/docq.js export), one process per format; /usr/bin/time %e, %M, %U + %S; server CPU from /proc',
    insertSeconds,
    figures,
    targets: { xlsx: { seconds: 30, peakRssMb: 300 } },
    machine: { cpus: cpus().length, loadavg: loadavg() },
  });
  console.log(`wrote ${path}`);
} finally {
  if (!process.env['KEEP']) await mongo.stop();
  if (!process.env['KEEP']) rmSync(dir, { recursive: true, force: true });
  else console.log('kept', dir, uri);
}
