/**
 * Failure rate of each S3 link on correct consecutive reports of one issuer. The corpus holds one
 * real pair (淮安市洪泽区 2023 → 2024, born-digital, both 勾稽-consistent); issue 15 reports one
 * real issuer's seven reports (carried-over held 6/6, the 规范性文件 in_force chain broke 3/4).
 * Prints each link and writes bench/results/s3-rates.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractDocument } from '../core/index.js';
import type { Document } from '../core/model/index.js';
import { evaluateS3, type YearReading } from '../models/cross-year-rules.js';
import { SHARED } from './corpus-issuers.js';

const REAL = join(SHARED, 'corpus/real/gov_annual_reports');
const PAIRS: readonly [string, string][] = [
  [
    'huaian_hongze_2023_gov_info_disclosure_annual_report.pdf',
    'huaian_hongze_2024_gov_info_disclosure_annual_report.pdf',
  ],
];

function reading(doc: Document): YearReading {
  const values = new Map<string, number>();
  for (const cell of Object.values(doc.report?.cells ?? {}))
    if (cell.reason !== 'missing') values.set(cell.key, cell.value ?? 0);
  return { sha256: doc.sha256, year: doc.report?.metadata.reportYear ?? 0, values, decided: new Set() };
}

const byRule: Record<string, { strength: string; pairs: number; failed: number; trivial: number }> = {};
for (const [a, b] of PAIRS) {
  const [prev, cur] = await Promise.all(
    [a, b].map(async (f) => extractDocument({ bytes: await readFile(join(REAL, f)) })),
  );
  for (const link of evaluateS3(reading(prev!), reading(cur!))) {
    const rule = link.scope.replace(/^carried_over\..*/, 'carried_over');
    const entry = (byRule[rule] ??= { strength: link.strength, pairs: 0, failed: 0, trivial: 0 });
    entry.pairs++;
    if (link.status === 'fail') entry.failed++;
    if (link.expected === 0 && link.actual === 0) entry.trivial++;
    console.log(`${a.slice(0, 18)} → ${b.slice(0, 18)} ${link.scope}: ${link.status} (${link.message})`);
  }
}
console.log(JSON.stringify(byRule, null, 2));
await mkdir(new URL('results/', import.meta.url), { recursive: true });
await writeFile(new URL('results/s3-rates.json', import.meta.url), JSON.stringify({ pairs: PAIRS, byRule }, null, 2));
