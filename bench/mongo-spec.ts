// MongoDB's own CRUD specification tests (mongodb/specifications, source/crud/tests/unified/*.json) run by
// our unified-format runner (bench/mongo-spec/) against the embedded server — or against the MongoDB that
// MONGODB_URI names (the same runner, the same expectations) — and the counts printed: passed, refused
// with a named error, skipped by requirement, wrong.
//
// The spec files are not in this repository: they are published under CC BY-NC-SA 3.0 US, which a
// repository of ours cannot carry. Point --specs (or MONGODB_SPECS) at a checkout of that folder:
//   npx tsx bench/mongo-spec.ts --specs <specifications>/source/crud/tests/unified
// The behaviours the runner found wrong have their own tests in test/embedded-mongo/mongodb-fidelity.test.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import { writeResults } from './bench-util.js';
import { runSpecFile, type TestOutcome } from './mongo-spec/run-spec-file.js';
import { serverFacts } from './mongo-spec/server-facts.js';

const { values } = parseArgs({ options: { specs: { type: 'string' } } });
const specDir = values.specs ?? process.env['MONGODB_SPECS'];
if (!specDir) {
  console.error('mongo-spec: give --specs <dir> (a checkout of source/crud/tests/unified) or MONGODB_SPECS');
  process.exit(2);
}

const externalUri = process.env['MONGODB_URI'];
const dataDir = externalUri ? undefined : mkdtempSync(join(tmpdir(), 'docq-mongo-spec-'));
const server = dataDir ? await startEmbeddedMongo({ dataDir, port: 0, log: () => undefined }) : undefined;
const uri = externalUri ?? server!.uri;
try {
  const facts = await serverFacts(uri);
  const outcomes: TestOutcome[] = [];
  for (const file of readdirSync(specDir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    outcomes.push(...(await runSpecFile(file, readFileSync(join(specDir, file), 'utf8'), uri, facts)));
  }
  const count = (verdict: TestOutcome['verdict']): number => outcomes.filter((o) => o.verdict === verdict).length;
  const driverSkips = outcomes.filter((o) => o.verdict === 'skipped' && o.detail?.startsWith('Node driver')).length;
  const applicable = outcomes.length - count('skipped');
  const figures = {
    server: externalUri ? 'MONGODB_URI' : 'embedded',
    topology: facts.topology,
    version: facts.version.join('.'),
    applicable,
    passed: count('passed'),
    passedPct: Number(((100 * count('passed')) / applicable).toFixed(1)),
    refused: count('refused'),
    skippedByRequirement: count('skipped') - driverSkips,
    skippedNodeDriver: driverSkips,
    wrong: count('wrong'),
    notPassed: outcomes
      .filter((o) => o.verdict === 'wrong' || o.verdict === 'refused')
      .map((o) => `${o.verdict} ${o.file} — ${o.description}: ${o.detail ?? ''}`),
  };
  console.log(JSON.stringify(figures, null, 1));
  console.log(`written to ${await writeResults('mongo-spec', figures)}`);
  if (figures.wrong > 0) process.exitCode = 1;
} finally {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
