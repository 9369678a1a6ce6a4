// MongoDB's own CRUD specification tests (vendored in spec/crud, see spec/README.md) run by the
// unified-format runner against the embedded server — or against the MongoDB that MONGODB_URI
// names (the same runner, the same expectations). Prints passed / refused / skipped / wrong.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedMongo, type RunningMongo } from '../../embedded-mongo/index.js';
import { runSpecFile, type TestOutcome } from './unified/run-spec-file.js';
import { serverFacts } from './unified/server-facts.js';
import { externalUri } from './server-harness.js';

const SPEC_DIR = join(import.meta.dirname, 'spec', 'crud');

let server: RunningMongo | undefined;
let dataDir: string | undefined;
let uri: string;

beforeAll(async () => {
  if (externalUri) {
    uri = externalUri;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'docq-mongo-spec-'));
    server = await startEmbeddedMongo({ dataDir, port: 0, log: () => undefined });
    uri = server.uri;
  }
});

afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('passes MongoDB CRUD specification tests with no wrong result', { timeout: 600_000 }, async () => {
  const facts = await serverFacts(uri);
  const outcomes: TestOutcome[] = [];
  for (const file of readdirSync(SPEC_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    outcomes.push(...(await runSpecFile(file, readFileSync(join(SPEC_DIR, file), 'utf8'), uri, facts)));
  }
  const count = (verdict: TestOutcome['verdict']): number => outcomes.filter((o) => o.verdict === verdict).length;
  const applicable = outcomes.length - count('skipped');
  const driverSkips = outcomes.filter((o) => o.verdict === 'skipped' && o.detail?.startsWith('Node driver')).length;
  const lines = outcomes
    .filter((o) => o.verdict === 'wrong' || o.verdict === 'refused')
    .map((o) => `  ${o.verdict.padEnd(7)} ${o.file} — ${o.description}: ${o.detail ?? ''}`);
  console.log(
    [
      `CRUD spec tests against ${externalUri ? 'MONGODB_URI' : 'the embedded server'} (${facts.topology} ${facts.version.join('.')}):`,
      `  passed ${count('passed')} of ${applicable} applicable (${((100 * count('passed')) / applicable).toFixed(1)} %),` +
        ` refused ${count('refused')}, skipped by requirement ${count('skipped') - driverSkips}` +
        ` (+ ${driverSkips} the Node driver itself fails), wrong ${count('wrong')}`,
      ...lines,
    ].join('\n'),
  );
  expect(lines.filter((line) => line.startsWith('  wrong'))).toEqual([]);
  expect(count('passed')).toBeGreaterThanOrEqual(Math.ceil(0.9 * applicable));
});
