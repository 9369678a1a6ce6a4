import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = process.env.DOCQ_SHARED ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Prints the figures and writes them to bench/results/<name>.json with the machine and time. */
export async function writeResults(name: string, figures: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  const record = { bench: name, at: new Date().toISOString(), node: process.version, figures };
  await writeFile(path, JSON.stringify(record, null, 1) + '\n');
  return path;
}

/**
 * Merges one labelled run into bench/results/<name>.json (`runs[label]`), keeping the other labels:
 * for benches whose runs are compared before and after a change. `merge` gets the label's earlier run.
 */
export function recordRun(name: string, note: string, label: string, merge: (earlier: unknown) => unknown): void {
  const path = join(RESULTS_DIR, `${name}.json`);
  const record = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { runs: Record<string, unknown> })
    : { runs: {} };
  record.runs[label] = merge(record.runs[label]);
  writeFileSync(path, JSON.stringify({ bench: name, note, ...record }, null, 1) + '\n');
}
