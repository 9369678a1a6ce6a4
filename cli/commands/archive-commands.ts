import type { Command } from 'commander';
import { aggregateByRegion, issuerSeries, listIssuers, parseDimensions } from '../../models/archive-queries.js';
import { connectModels } from '../../models/index.js';

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 2;
}

/** `docq issuers`, `docq series`, `docq aggregate`: queries over the archive (models/archive-queries.ts). */
export function registerArchiveCommands(program: Command): void {
  program
    .command('issuers')
    .description('Issuers in the archive with their division code and the years held (a copy counts once).')
    .option('--missing-years', 'show only issuers with years missing, and which')
    .option('--json', 'one JSON object per issuer')
    .action(async (flags: { missingYears?: boolean; json?: boolean }) => {
      const db = await connectModels();
      try {
        const { issuers, unresolved } = await listIssuers(db.models);
        for (const i of issuers.filter((x) => !flags.missingYears || x.missing.length > 0)) {
          if (flags.json) process.stdout.write(`${JSON.stringify(i)}\n`);
          else
            process.stdout.write(
              `${i.region?.code ?? '      '}  ${i.name ?? i.issuerId}  held ${i.years.join(', ') || '-'}${
                i.missing.length > 0 ? `  missing ${i.missing.join(', ')}` : ''
              }${i.documents > i.years.length ? `  (${i.documents} documents)` : ''}\n`,
            );
        }
        process.stderr.write(`${issuers.length} issuers; ${unresolved} reports with an unresolved issuer\n`);
      } finally {
        await db.close();
      }
    });

  program
    .command('series')
    .description("One issuer's values of one key, year by year, with flags, corrections and S3 links.")
    .requiredOption('--issuer <name|id>', 'the issuer as printed (淮安市) or its id (3208:)')
    .requiredOption('--key <key>', 'a report key, e.g. applications.new_received.total')
    .option('--json', 'the series as JSON')
    .action(async (flags: { issuer: string; key: string; json?: boolean }) => {
      const db = await connectModels();
      try {
        const series = await issuerSeries(db.models, flags.issuer, flags.key);
        if ('code' in series) return fail(series.message);
        if (flags.json) return void process.stdout.write(`${JSON.stringify(series)}\n`);
        for (const p of series.points) {
          const state = p.reviewedBy
            ? `reviewed by ${p.reviewedBy}`
            : p.flags.length > 0
              ? `FLAGGED ${p.flags.join(';')}`
              : 'ok';
          const links = p.links
            .filter((l) => l.status === 'fail')
            .map((l) => `S3 ${l.scope} ${l.strength}${l.settled ? ' settled' : ''}`);
          process.stdout.write(
            `${p.year}  ${p.value ?? 'blank'}  ${state}  ${p.sha256.slice(0, 12)}${links.length ? `  ${links.join('; ')}` : ''}\n`,
          );
        }
      } finally {
        await db.close();
      }
    });

  program
    .command('aggregate')
    .description('Totals of one key by region and year; each total says how many of its numbers are flagged.')
    .requiredOption('--key <key>', 'a report key, e.g. applications.new_received.total')
    .option('--by <dims>', 'province, city, county, year (comma-separated)', 'province,year')
    .option('--year <year>', 'only this year')
    .action(async (flags: { key: string; by: string; year?: string }) => {
      const by = parseDimensions(flags.by);
      if (typeof by === 'string') return fail(by);
      const db = await connectModels();
      try {
        const rows = await aggregateByRegion(db.models, flags.key, by, flags.year ? { year: Number(flags.year) } : {});
        for (const r of rows)
          process.stdout.write(
            `${by.map((d) => r.group[d] ?? '?').join('  ')}  ${r.total}  (${r.reports} reports${r.flagged ? `, ${r.flagged} flagged` : ''}${r.corrected ? `, ${r.corrected} corrected` : ''})\n`,
          );
      } finally {
        await db.close();
      }
    });
}
