/**
 * A reproducible archive of distinct born-digital annual reports for bench/archive.ts, written under
 * bench/.archive/ (git-ignored) and reused by later runs (the same seed gives the same files).
 *
 * Report k is a new report composed on a dev layout (bench/matrix/compose-report.ts: 表三/表四 numbers
 * recombined so every rule holds), under its own issuer (a real county of GB/T 2260 with the layout's
 * town or office) and its own year (within the template's years), printed by Debian's chromium. So every
 * document is a different valid report the extractor reads in full, and issuer × year pairs do not pile
 * up (the cross-report step compares the reports of one issuer and year: 10,000 reports of 14 issuers
 * would measure that step's quadratic case, not an archive).
 * `distinct` < `docs` prints fewer reports and makes the rest byte-distinct copies of them (a line after
 * %%EOF): the same extraction work per document, but the copies are then grouped as copies of one report.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { divisionIndex, lineage } from '../../core/issuer/divisions.js';
import { launchChromium } from '../../test/web/browser.js';
import { hash } from '../fax-pdf.js';
import { composeReport, devLayouts, type Layout } from '../matrix/compose-report.js';

export interface ArchiveSpec {
  readonly docs: number;
  readonly distinct: number;
  readonly seed: number;
  readonly shared: string;
  /** Root of the archive cache: reports/<seed>/r<k>.pdf and docs-<seed>-<docs>-<distinct>/ */
  readonly root: string;
}

/** Template years: the 2019 template was used for 2019 and 2020, the 2021 template from 2021. */
const YEARS: Readonly<Record<string, readonly number[]>> = {
  v2019: [2019, 2020],
  v2021: [2021, 2022, 2023, 2024],
};

interface Printed {
  readonly html: string;
  readonly issuer: string;
  readonly year: number;
}

/** Report k: composed numbers, a county of its own, a year of its template. */
function reportHtml(k: number, seed: number, layouts: readonly Layout[], counties: readonly string[]): Printed {
  const layout = layouts[k % layouts.length]!;
  const composed = composeReport(layout, layouts, hash(`archive/${seed}/${k}`));
  const gt = layout.gt as unknown as { issuer: string; year: number };
  const tail = /^.+?[县区市旗](.+)$/.exec(gt.issuer)?.[1] ?? '人民政府';
  const issuer = `${counties[(k * 7919 + seed) % counties.length]!}${tail}`;
  const years = YEARS[layout.gt.expected.template_version] ?? [gt.year];
  const year = years[Math.floor(k / layouts.length) % years.length]!;
  // The report's year and its publication year (Y+1); never the cited notice's 〔2019〕.
  const html = composed.html
    .split(gt.issuer)
    .join(issuer)
    .replace(new RegExp(`(?<!〔)(${gt.year}|${gt.year + 1})(\\s*年)`, 'g'), (_, y: string, s: string) =>
      Number(y) === gt.year ? `${year}${s}` : `${year + 1}${s}`,
    );
  return { html, issuer, year };
}

const BATCH = 25;

/** One HTML document holding the reports (same stylesheet), each starting on a new page. */
function joinReports(htmls: readonly string[]): string {
  const head = htmls[0]!.slice(0, htmls[0]!.indexOf('<body>'));
  const bodies = htmls.map((h) => h.slice(h.indexOf('<body>') + 6).replace(/<\/body>\s*<\/html>\s*$/, ''));
  return `${head}<body>${bodies.map((b) => `<div style="break-before: page">${b}</div>`).join('')}</body></html>`;
}

/** Splits a printed batch into one PDF per report: a report starts on the first page that names its issuer. */
function splitBatch(pdf: string, parts: readonly { marker: string; out: string }[]): void {
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\f')
    .map((t) => t.replace(/\s+/g, ''));
  const starts: number[] = [];
  let p = 0;
  for (const { marker } of parts) {
    while (p < pages.length && !pages[p]!.includes(marker)) p++;
    if (p === pages.length) throw new Error(`${pdf}: no page names ${marker}`);
    starts.push(p++);
  }
  const count = pages[pages.length - 1] === '' ? pages.length - 1 : pages.length;
  parts.forEach(({ out }, j) => {
    const range = `${starts[j]! + 1}-${j + 1 < parts.length ? starts[j + 1]! : count}`;
    execFileSync('qpdf', ['--empty', '--pages', pdf, range, '--', out]);
  });
}

/**
 * Writes the archive's documents (printing only the reports not yet in the cache) and returns their
 * folder. Prints progress every 100 reports.
 */
export async function makeArchive(spec: ArchiveSpec): Promise<string> {
  const reports = join(spec.root, 'reports', String(spec.seed));
  const dir = join(spec.root, `docs-${spec.seed}-${spec.docs}-${spec.distinct}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(reports, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const layouts = devLayouts(join(spec.shared, 'corpus', 'dev'));
  const counties = [...divisionIndex().byCode.values()]
    .filter((d) => d.level === 'county' && lineage(d).length >= 2)
    .map((d) => d.name)
    .sort();
  const missing = Array.from({ length: spec.distinct }, (_, k) => k).filter(
    (k) => !existsSync(join(reports, `r${k}.pdf`)),
  );
  if (missing.length > 0) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const started = performance.now();
      let done = 0;
      // Chromium's PDF output costs ~1.5 s a call here whatever its length (font subsetting), so the
      // reports of one layout (one stylesheet) are printed 25 to a call and split with qpdf.
      for (let l = 0; l < layouts.length; l++) {
        const ofLayout = missing.filter((k) => k % layouts.length === l);
        for (let b = 0; b < ofLayout.length; b += BATCH) {
          const batch = ofLayout
            .slice(b, b + BATCH)
            .map((k) => ({ k, ...reportHtml(k, spec.seed, layouts, counties) }));
          await page.setContent(joinReports(batch.map((r) => r.html)), { waitUntil: 'load' });
          const pdf = join(reports, 'batch.pdf');
          writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
          splitBatch(
            pdf,
            batch.map((r) => ({ marker: r.issuer, out: join(reports, `r${r.k}.pdf`) })),
          );
          done += batch.length;
          console.log(
            `printed ${done}/${missing.length} reports (${((performance.now() - started) / done).toFixed(0)} ms each)`,
          );
        }
      }
    } finally {
      await browser.close();
    }
  }
  for (let i = 0; i < spec.docs; i++) {
    const k = i % spec.distinct;
    const source = join(reports, `r${k}.pdf`);
    const target = join(dir, `report-${String(i).padStart(5, '0')}.pdf`);
    const copy = Math.floor(i / spec.distinct);
    // A report itself is a hard link to the cache (10,000 reports are ~4 GB); copies beyond the
    // distinct reports differ only after %%EOF (readers ignore it).
    if (existsSync(target)) continue;
    if (copy === 0) linkSync(source, target);
    else writeFileSync(target, Buffer.concat([readFileSync(source), Buffer.from(`\n%docq-archive copy ${copy}\n`)]));
  }
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}
