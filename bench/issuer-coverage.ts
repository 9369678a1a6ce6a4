/**
 * Issuer normalisation on every issuer name of ../shared/corpus: each resolved to a GB/T 2260
 * division code, or unresolved with the reason. Prints the table of docs/issuers.md and writes
 * bench/results/issuer-coverage.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolveIssuer } from '../core/issuer/resolve-issuer.js';
import { corpusIssuers } from './corpus-issuers.js';

const rows = (await corpusIssuers()).map((n) => ({ ...n, match: resolveIssuer(n.printed, n.context) }));
console.log('| source | printed | code | resolved as | method | confidence | note |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const { source, printed, match: m } of rows)
  console.log(
    `| ${source} | ${printed} | ${m.townCode ?? m.code ?? '—'} | ${m.name ?? '—'} | ${m.method} | ${m.confidence} | ${m.reason ?? ''} |`,
  );
const byMethod: Record<string, number> = {};
for (const r of rows) byMethod[r.match.method] = (byMethod[r.match.method] ?? 0) + 1;
console.log(`\n${rows.length} names: ${JSON.stringify(byMethod)}`);
await mkdir(new URL('results/', import.meta.url), { recursive: true });
await writeFile(
  new URL('results/issuer-coverage.json', import.meta.url),
  JSON.stringify({ names: rows.length, byMethod, rows: rows.map(({ context: _c, ...r }) => r) }, null, 2),
);
