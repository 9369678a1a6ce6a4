import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared corpus beside the checkout (never copied into the repository). */
export const SHARED = process.env.DOCQ_SHARED ?? join(import.meta.dirname, '../../../shared');
export const DEV = join(SHARED, 'corpus/dev');
export const REAL_REPORTS = join(SHARED, 'corpus/real/gov_annual_reports');

export interface Expected {
  template_version: 'v2019' | 'v2021';
  report_year: number;
  issuer: string;
  active_disclosure: Record<string, Record<string, number | null>>;
  applications: Record<string, Record<string, number | null>>;
  review_litigation: Record<string, number | null>;
  failing_rules: string[];
}

export interface GroundTruth {
  kind: 'seed' | 'synth';
  expected?: Expected;
  year?: number;
  template?: string;
  blocks?: { type?: string; text?: string }[];
}

export function devDocs(prefix: string): { name: string; dir: string; gt: GroundTruth }[] {
  if (!existsSync(DEV)) return [];
  return readdirSync(DEV)
    .filter((d) => d.startsWith(prefix))
    .sort()
    .map((name) => ({
      name,
      dir: join(DEV, name),
      gt: JSON.parse(readFileSync(join(DEV, name, 'gt.json'), 'utf8')) as GroundTruth,
    }));
}

/** Every expected cell as [dotted path, value], in the shape the export nests them. */
export function expectedCells(exp: Expected): [string, number | null][] {
  const out: [string, number | null][] = [];
  const walk = (node: unknown, path: string): void => {
    if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
    else out.push([path, node as number | null]);
  };
  for (const sec of ['active_disclosure', 'applications', 'review_litigation'] as const) walk(exp[sec], sec);
  return out;
}

interface ExportedCell {
  value: number | null;
  confidence: number;
  flags: string[];
}

export function lookupCell(report: Record<string, unknown>, path: string): ExportedCell | undefined {
  let node: unknown = report;
  for (const k of path.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
  return node as ExportedCell | undefined;
}
