import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractDocument } from '../core/index.js';
import { readMetadata } from '../core/report/read-metadata.js';

/** ../shared/ beside the checkout (read in place, never copied). */
export const SHARED = new URL('../../shared/', import.meta.url).pathname;

export interface CorpusIssuer {
  /** Where the name was printed: seed file, dev gt.json field or real report. */
  readonly source: string;
  readonly printed: string;
  /** Other text of the same report that names the issuer again (full name, contact sentence). */
  readonly context: string;
}

/**
 * Every issuer name in ../shared/corpus: the seed texts (title, read by readMetadata, with their
 * opening as context), each dev document's gt.json `issuer` and `issuer_full`, and the real reports'
 * titles as extracted from their text layer.
 */
export async function corpusIssuers(): Promise<CorpusIssuer[]> {
  const out: CorpusIssuer[] = [];
  const seeds = join(SHARED, 'seeds');
  for (const file of (await readdir(seeds)).filter((f) => f.endsWith('.txt')).sort()) {
    const text = await readFile(join(seeds, file), 'utf8');
    const m = readMetadata(text);
    const context = text.slice(0, 1500);
    if (m.issuer) out.push({ source: `seeds/${file}`, printed: m.issuer, context });
    if (m.issuerFull && m.issuerFull !== m.issuer)
      out.push({ source: `seeds/${file} (contact)`, printed: m.issuerFull, context });
  }
  const dev = join(SHARED, 'corpus/dev');
  for (const dir of (await readdir(dev)).sort()) {
    const gt = JSON.parse(await readFile(join(dev, dir, 'gt.json'), 'utf8')) as {
      issuer?: string;
      issuer_full?: string;
    };
    if (gt.issuer) out.push({ source: `dev/${dir} issuer`, printed: gt.issuer, context: gt.issuer_full ?? '' });
    if (gt.issuer_full && gt.issuer_full !== gt.issuer)
      out.push({ source: `dev/${dir} issuer_full`, printed: gt.issuer_full, context: gt.issuer ?? '' });
  }
  const real = join(SHARED, 'corpus/real/gov_annual_reports');
  for (const file of (await readdir(real)).filter((f) => f.endsWith('.pdf')).sort()) {
    const doc = await extractDocument({ bytes: await readFile(join(real, file)), name: file });
    const m = doc.report?.metadata;
    const context = doc.pages
      .map((p) => p.text)
      .join('\n')
      .slice(0, 1500);
    if (m?.issuer) out.push({ source: `real/${file}`, printed: m.issuer, context });
  }
  return out;
}
