import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { ExportCounts } from '../../exports/write-stream.js';
import {
  connectModels,
  DEFAULT_EXPORT_STATUSES,
  DOCUMENT_STATUSES,
  exportReports,
  type ExportFilter,
  type Models,
} from '../../models/index.js';

const FORMATS = ['csv', 'jsonl', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

interface ExportFlags {
  format: string;
  out?: string;
  status: string;
  year?: string;
  issuer?: string;
  region?: string;
  flagged?: boolean;
  notFlagged?: boolean;
}

/** The filter the flags ask for, or the sentence saying which flag is wrong. */
export function parseExportFlags(flags: ExportFlags): { format: Format; filter: ExportFilter } | string {
  if (!(FORMATS as readonly string[]).includes(flags.format))
    return `--format is one of ${FORMATS.join(', ')}, not ${flags.format}`;
  const statuses = flags.status.split(',').map((s) => s.trim());
  const unknown = statuses.filter((s) => !(DOCUMENT_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0)
    return `--status: unknown status ${unknown.join(', ')} (one or more of ${DOCUMENT_STATUSES.join(', ')})`;
  const filter: { statuses: string[]; year?: number; issuer?: string; region?: string; flagged?: boolean } = {
    statuses,
  };
  if (flags.year !== undefined) {
    const year = Number(flags.year);
    if (!/^\d{4}$/.test(flags.year) || year < 2000 || year > 2100) return '--year takes a year such as 2023';
    filter.year = year;
  }
  for (const field of ['issuer', 'region'] as const) {
    const value = flags[field];
    if (value === undefined) continue;
    if (value.trim() === '') return `--${field} takes some text to look for`;
    filter[field] = value;
  }
  if (flags.flagged && flags.notFlagged) return 'give --flagged or --not-flagged, not both';
  if (flags.flagged) filter.flagged = true;
  if (flags.notFlagged) filter.flagged = false;
  if (flags.format === 'xlsx' && flags.out === undefined && process.stdout.isTTY)
    return 'an XLSX file is binary: give --out reports.xlsx (or redirect stdout)';
  return { format: flags.format as Format, filter };
}

async function writeFormat(models: Models, format: Format, filter: ExportFilter, out: Writable): Promise<ExportCounts> {
  if (format === 'csv') {
    const { writeCsv } = await import('../../exports/write-csv.js');
    return writeCsv(exportReports(models, filter, { checks: 'failed' }), out);
  }
  if (format === 'jsonl') {
    const { writeJsonl } = await import('../../exports/write-jsonl.js');
    return writeJsonl(exportReports(models, filter, { withoutReport: true }), out);
  }
  const { writeXlsx } = await import('../../exports/write-xlsx.js');
  return writeXlsx(exportReports(models, filter, { withoutReport: true, checks: 'failed' }), out);
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Write the extracted reports, human decisions applied and marked: XLSX (表二/表三/表四, one row per report, cells shaded by provenance, a reports sheet and the flags in words), CSV (one row per cell, UTF-8 with BOM) or JSON lines (report-json.md).',
    )
    .option(
      '--format <xlsx|csv|jsonl>',
      'xlsx: spreadsheet; csv: long table, one row per cell; jsonl: one report per line',
      'csv',
    )
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--status <list>', 'document statuses to include (comma-separated)', DEFAULT_EXPORT_STATUSES.join(','))
    .option('--year <year>', 'only reports for this year')
    .option('--issuer <text>', 'only issuers whose name contains this')
    .option('--region <text>', 'only regions whose name contains this')
    .option('--flagged', 'only reports with flagged cells')
    .option('--not-flagged', 'only reports without flagged cells')
    .action(async (flags: ExportFlags) => {
      const parsed = parseExportFlags(flags);
      if (typeof parsed === 'string') {
        process.stderr.write(`docq export: ${parsed}\n`);
        process.exitCode = 2;
        return;
      }
      const db = await connectModels();
      const out = flags.out !== undefined ? createWriteStream(flags.out) : process.stdout;
      let counts: ExportCounts;
      try {
        counts = await writeFormat(db.models, parsed.format, parsed.filter, out);
      } finally {
        if (out !== process.stdout && !out.writableFinished) {
          if (!out.writableEnded) out.end();
          await once(out, 'finish');
        }
        await db.close();
      }
      process.stderr.write(
        `exported ${counts.documents} documents, ${counts.cells} cells${flags.out ? ` to ${flags.out}` : ''}\n`,
      );
    });
}
