import type { Document, ReportCell } from '../core/model/index.js';

interface RenderOptions {
  color: boolean;
}

const APPLICANT_COLUMNS = [
  ['natural_person', '自然人'],
  ['commercial_enterprise', '商业企业'],
  ['research_institution', '科研机构'],
  ['public_welfare_org', '社会公益'],
  ['legal_service_org', '法律服务'],
  ['other_org', '其他'],
  ['total', '总计'],
] as const;

const REVIEW_GROUPS = [
  ['review', '行政复议'],
  ['lit_direct', '直接起诉'],
  ['lit_after_review', '复议后起诉'],
] as const;
const REVIEW_OUTCOMES = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;

/** A terminal summary of one document: the three tables laid out, flagged cells marked, failed checks listed. */
export function renderSummary(name: string, doc: Document, options: RenderOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  const s = doc.summary;
  out.push(paint.bold(`${name}`));
  out.push(
    `  status ${statusText(doc.status, paint)} · ${s.pages} pages (${s.pagesOcr} OCR, ${s.pagesFailed} failed) · ${s.tables} tables · ${s.cells} cells, ${s.flagged} flagged · ${s.checksFailed} checks failed`,
  );
  if (doc.error) out.push(paint.red(`  error ${doc.error.code} at ${doc.error.stage}: ${doc.error.message}`));
  for (const p of doc.problems.filter((p) => p !== doc.error))
    out.push(paint.yellow(`  problem ${p.code}${p.page ? ` (page ${p.page})` : ''}: ${p.message}`));
  const report = doc.report;
  if (!report) {
    out.push('  not recognised as an annual report');
    return out.join('\n');
  }
  const m = report.metadata;
  out.push(
    `  ${m.issuer ?? '?'} · year ${m.reportYear ?? '?'} · template ${report.template.version ?? 'unknown'}${report.template.conflict ? paint.yellow(' (conflict)') : ''}`,
  );
  const cell = (key: string): string => formatCell(report.cells[key], paint);

  out.push(paint.bold('\n  表二 主动公开'));
  const t2 = groupByRow(Object.keys(report.cells).filter((k) => k.startsWith('active_disclosure.')));
  for (const [item, keys] of t2)
    out.push(`    ${item.padEnd(26)} ${keys.map((k) => `${k.split('.')[2]}=${cell(k)}`).join('  ')}`);

  out.push(paint.bold('\n  表三 申请'));
  out.push(`    ${''.padEnd(34)}${APPLICANT_COLUMNS.map(([, label]) => label.padStart(6)).join('')}`);
  const t3 = groupByRow(Object.keys(report.cells).filter((k) => k.startsWith('applications.')));
  for (const [row] of t3)
    out.push(
      `    ${row.padEnd(34)}${APPLICANT_COLUMNS.map(([c]) => pad(cell(`applications.${row}.${c}`), 10)).join('')}`,
    );

  out.push(paint.bold('\n  表四 复议诉讼'));
  for (const [group, label] of REVIEW_GROUPS) {
    out.push(
      `    ${label.padEnd(10)}${REVIEW_OUTCOMES.map((o) => `${o}=${cell(`review_litigation.${group}_${o}`)}`).join('  ')}`,
    );
  }

  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length) {
    out.push(paint.bold('\n  Failed checks'));
    for (const c of failed)
      out.push(
        paint.red(
          `    ${c.rule} ${c.scope}: ${c.message}${c.culprit ? ` — likely ${c.culprit}${c.suggestion !== undefined ? ` (would be ${c.suggestion})` : ''}` : ''}`,
        ),
      );
  }
  if (report.missing.length)
    out.push(
      paint.yellow(
        `\n  Missing ${report.missing.length} keys: ${report.missing.slice(0, 8).join(', ')}${report.missing.length > 8 ? ' …' : ''}`,
      ),
    );
  if (report.unmappedTableIds.length) out.push(`  Unmapped tables: ${report.unmappedTableIds.join(', ')}`);
  return out.join('\n');
}

function groupByRow(keys: string[]): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const k of keys) {
    const row = k.split('.')[1] ?? k;
    rows.set(row, [...(rows.get(row) ?? []), k]);
  }
  return rows;
}

function formatCell(c: ReportCell | undefined, paint: Painter): string {
  if (!c) return paint.dim('·');
  const text = c.value === null ? (c.reason === 'missing' ? '?' : '—') : String(c.value);
  return c.flags.length ? paint.red(`${text}!`) : text;
}

/** Pads by visible width (ANSI codes do not count). */
function pad(text: string, width: number): string {
  const visible = text.replace(/\u001b\[[0-9;]*m/g, '').length;
  return ' '.repeat(Math.max(1, width - visible)) + text;
}

function statusText(status: Document['status'], paint: Painter): string {
  return status === 'ok' ? paint.green(status) : status === 'needs_review' ? paint.yellow(status) : paint.red(status);
}

type Painter = Record<'bold' | 'red' | 'yellow' | 'green' | 'dim', (s: string) => string>;

function painter(color: boolean): Painter {
  const wrap = (code: string) => (s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { bold: wrap('1'), red: wrap('31'), yellow: wrap('33'), green: wrap('32'), dim: wrap('2') };
}
