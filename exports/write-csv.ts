import type { Writable } from 'node:stream';
import { decidedMetadata, type ExportItem } from '../models/index.js';
import { exportCells, sourceOf } from './export-cells.js';
import { write, type ExportCounts } from './write-stream.js';

/** Excel reads a UTF-8 CSV as UTF-8 only with this mark; without it Chinese text is mojibake. */
export const UTF8_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'sha256',
  'source',
  'issuer',
  'region',
  'report_year',
  'template_version',
  'status',
  'table',
  'key',
  'label',
  'value',
  'unit',
  'confidence',
  'state',
  'flags',
  'flag_reasons',
  'suggestion',
  'provenance',
  'extracted',
  'decided_by',
  'decided_at',
  'previous_value',
  'note',
  'page',
] as const;

export function csvField(v: unknown): string {
  // A finite number needs neither quoting nor the formula guard (`-3` starts with a digit after the sign).
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  // Spreadsheets run a leading = + - @ as a formula (CSV injection): such text is quoted with a '.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One row per cell of one report (long form): the value to use, its labels, flags in words, suggestion and provenance. */
export function csvRows(item: ExportItem): string[] {
  const meta = decidedMetadata(item);
  const head = [
    item.document.sha256,
    sourceOf(item),
    meta.issuer,
    meta.region,
    meta.year,
    meta.template,
    item.document.status,
  ];
  return exportCells(item).map((c) =>
    [
      ...head,
      c.table,
      c.key,
      c.label,
      c.value,
      c.unit,
      c.confidence,
      c.state,
      c.flags.join(';'),
      c.reasons.join('；'),
      c.suggestion,
      c.provenance.kind,
      c.extracted,
      c.provenance.by,
      c.provenance.at,
      c.provenance.kind === 'extracted' ? undefined : c.provenance.old,
      c.provenance.note,
      c.page,
    ]
      .map(csvField)
      .join(','),
  );
}

/** The CSV export: BOM, header, one row per cell; streamed. */
export async function writeCsv(items: AsyncIterable<ExportItem>, out: Writable): Promise<ExportCounts> {
  const counts: ExportCounts = { documents: 0, cells: 0 };
  await write(out, `${UTF8_BOM}${CSV_COLUMNS.join(',')}\n`);
  for await (const item of items) {
    const rows = csvRows(item);
    if (rows.length > 0) await write(out, `${rows.join('\n')}\n`);
    counts.documents++;
    counts.cells += rows.length;
  }
  return counts;
}
