/**
 * Where a scan kind's cells are lost: reads extracted report JSON kept beside a corpus and lists, per
 * document, every cell that is not a trusted right value (missing, flagged right, caught, silent) with
 * what was read and why it was flagged, then counts the flag reasons over all documents.
 *
 *   npx tsx bench/scan-losses.ts --corpus <dir> --outputs <dir> [--kind scan-fax] [--docs synth-1-*] [--brief]
 *
 * `--outputs` holds <doc>/<kind>.json (as the scorer's `--outputs`). Cells are those the gt's
 * `expected` lists, compared as the scorer compares them (../shared/tools/score.py).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Cell = { value: number | null; confidence: number; flags: string[] };
type Outcome = 'correct' | 'false_alarm' | 'caught' | 'silent' | 'missing';

function leaves(node: unknown, path: string[] = []): [string[], unknown][] {
  if (node !== null && typeof node === 'object' && !Array.isArray(node))
    return Object.entries(node).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [[path, node]];
}

function lookup(report: unknown, path: string[]): Cell | undefined {
  let node = report;
  for (const k of path) {
    if (node === null || typeof node !== 'object' || !(k in node)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node as Cell;
}

const same = (a: unknown, b: unknown): boolean =>
  a === null || b === null ? a === null && b === null : Math.abs(Number(a) - Number(b)) < 1e-6;

function outcome(want: unknown, cell: Cell | undefined): Outcome {
  if (cell === undefined) return 'missing';
  const right = same(cell.value, want);
  const flagged = (cell.flags ?? []).length > 0;
  return right ? (flagged ? 'false_alarm' : 'correct') : flagged ? 'caught' : 'silent';
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt?: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const corpus = opt('--corpus');
  const outputs = opt('--outputs');
  if (!corpus || !outputs) throw new Error('usage: --corpus <dir> --outputs <dir> [--kind k] [--docs glob] [--brief]');
  const kind = opt('--kind', 'scan-fax')!;
  const re = new RegExp(`^${(opt('--docs') ?? '*').replace(/\*/g, '.*')}$`);
  const brief = args.includes('--brief');
  const totals = new Map<Outcome, number>();
  const reasons = new Map<string, number>();
  for (const doc of readdirSync(corpus).sort()) {
    const out = join(outputs, doc, `${kind}.json`);
    if (!re.test(doc) || !existsSync(join(corpus, doc, 'gt.json')) || !existsSync(out)) continue;
    const gt = JSON.parse(readFileSync(join(corpus, doc, 'gt.json'), 'utf8')) as { expected?: object };
    const report = (JSON.parse(readFileSync(out, 'utf8')) as { report?: object }).report ?? {};
    const exp = (gt.expected ?? gt) as Record<string, unknown>;
    const lines: string[] = [];
    const counts = new Map<Outcome, number>();
    for (const section of ['active_disclosure', 'applications', 'review_litigation']) {
      for (const [path, want] of leaves(exp[section], [section])) {
        const cell = lookup(report, path);
        const o = outcome(want, cell);
        counts.set(o, (counts.get(o) ?? 0) + 1);
        totals.set(o, (totals.get(o) ?? 0) + 1);
        for (const f of o === 'correct' || o === 'missing' ? [] : cell!.flags)
          reasons.set(`${o}:${f}`, (reasons.get(`${o}:${f}`) ?? 0) + 1);
        if (o === 'correct') continue;
        const read = cell === undefined ? '' : `read ${String(cell.value)} (${cell.confidence.toFixed(2)})`;
        lines.push(
          `  ${o.padEnd(11)} ${path.join('.').padEnd(58)} want ${String(want).padEnd(6)} ${read} ${(cell?.flags ?? []).join(',')}`,
        );
      }
    }
    console.log(`${doc}: ${[...counts].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    if (!brief) for (const l of lines) console.log(l);
  }
  console.log(`TOTAL ${[...totals].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)} ${r}`);
}

main();
