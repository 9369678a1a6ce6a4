/**
 * Runs the benchmarks one after another (each in its own process, so RSS figures stay their own):
 *   npx tsx bench/run-all.ts [name…]      e.g. `npx tsx bench/run-all.ts extract-digital queue`
 * Each prints its figures and writes bench/results/<name>.json. Run them on a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['extract-digital', 'ocr', 'calibration', 'embedded-db', 'queue', 'export'] as const;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !(BENCHES as readonly string[]).includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : BENCHES) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  console.log(`\n== bench/${name}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench/${name} exited with ${run.status ?? run.signal}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
