import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { connectModels, exportReports, type ExportedReport, type ExportFilter } from '../../models/index.js';

const CSV_COLUMNS = [
  'sha256',
  'path',
  'issuer',
  'report_year',
  'template_version',
  'status',
  'key',
  'value',
  'unit',
  'confidence',
  'flags',
  'extracted',
  'reviewed_by',
  'page',
] as const;

function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Spreadsheets run a leading = + - @ as a formula (CSV injection): such text is quoted with a '.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\n`;
}

/** The long CSV rows of one report: one row per cell, flags joined with `;`. */
function csvRows(r: ExportedReport): string {
  return r.cells
    .map((c) =>
      [
        r.sha256,
        r.path ?? r.url ?? '',
        r.issuer,
        r.reportYear,
        r.templateVersion,
        r.status,
        c.key,
        c.value,
        c.unit,
        c.confidence,
        c.flags.join(';'),
        c.extracted,
        c.reviewedBy,
        c.page,
      ]
        .map(csvField)
        .join(','),
    )
    .map((line) => `${line}\n`)
    .join('');
}

interface ExportFlags {
  format: string;
  out?: string;
  status?: string;
  year?: string;
  issuer?: string;
}

function toFilter(flags: ExportFlags): ExportFilter | string {
  const filter: { statuses?: string[]; year?: number; issuer?: string } = {};
  if (flags.status !== undefined) filter.statuses = flags.status.split(',').map((s) => s.trim());
  if (flags.year !== undefined) {
    const year = Number(flags.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return '--year takes a year such as 2023';
    filter.year = year;
  }
  if (flags.issuer !== undefined) filter.issuer = flags.issuer;
  return filter;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write the extracted reports, human corrections applied, as CSV (one row per cell) or JSON lines.')
    .option('--format <csv|jsonl>', 'csv: long table, one row per cell; jsonl: one report per line', 'csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--status <list>', 'document statuses to include (comma-separated)', 'done,needs_review')
    .option('--year <year>', 'only reports for this year')
    .option('--issuer <text>', 'only issuers whose name contains this')
    .action(async (flags: ExportFlags) => {
      const filter = toFilter(flags);
      if (typeof filter === 'string' || !['csv', 'jsonl'].includes(flags.format)) {
        process.stderr.write(`${typeof filter === 'string' ? filter : '--format is csv or jsonl'}\n`);
        process.exitCode = 2;
        return;
      }
      const db = await connectModels();
      const out = flags.out !== undefined ? createWriteStream(flags.out) : process.stdout;
      let reports = 0;
      let cells = 0;
      try {
        if (flags.format === 'csv') await write(out, csvHeader());
        for await (const report of exportReports(db.models, filter)) {
          await write(out, flags.format === 'csv' ? csvRows(report) : `${JSON.stringify(report)}\n`);
          reports++;
          cells += report.cells.length;
        }
      } finally {
        if (out !== process.stdout) {
          out.end();
          await once(out, 'finish');
        }
        await db.close();
      }
      process.stderr.write(`exported ${reports} reports, ${cells} cells${flags.out ? ` to ${flags.out}` : ''}\n`);
    });
}
