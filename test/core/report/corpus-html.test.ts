import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapReport } from '../../../core/report/map-report.js';
import { buildPage, tablesFromHtml, textFromHtml } from '../../helpers/table-builder.js';

/**
 * The dev corpus's source HTML (tables with their real row/column spans) read as Table objects:
 * the mapping and checks alone, independent of the PDF reader. Files are read, never copied.
 */
const DEV = join(import.meta.dirname, '../../../../shared/corpus/dev');
const docs = existsSync(DEV) ? readdirSync(DEV).filter((d) => existsSync(join(DEV, d, 'doc.html'))) : [];

interface Expected {
  readonly template_version?: string;
  readonly report_year?: number;
  readonly issuer?: string;
  readonly failing_rules?: readonly string[];
  readonly [section: string]: unknown;
}

function leaves(node: unknown, path: string, out: [string, unknown][]): [string, unknown][] {
  if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) leaves(v, `${path}.${k}`, out);
  else out.push([path, node]);
  return out;
}

describe.skipIf(docs.length === 0)('dev corpus through mapReport (HTML tables)', () => {
  for (const doc of docs) {
    it(doc, () => {
      const html = readFileSync(join(DEV, doc, 'doc.html'), 'utf8');
      const gt = JSON.parse(readFileSync(join(DEV, doc, 'gt.json'), 'utf8')) as { expected?: Expected };
      const report = mapReport([buildPage(textFromHtml(html))], tablesFromHtml(html));
      expect(report).not.toBeNull();
      if (!report) return;
      const exp = gt.expected;
      if (!exp) {
        // Seeds: recognised with a version and a year; nothing invented for what is missing.
        expect(report.template.version).not.toBeNull();
        expect(report.metadata.reportYear).toBeGreaterThanOrEqual(2019);
        for (const key of report.missing) expect(report.cells[key]).toMatchObject({ value: null, reason: 'missing' });
        return;
      }
      expect(report.template.version).toBe(exp.template_version);
      expect(report.metadata.reportYear).toBe(exp.report_year);
      expect(report.metadata.issuer).toBe(exp.issuer);
      const wrong: string[] = [];
      const silent: string[] = [];
      for (const section of ['active_disclosure', 'applications', 'review_litigation']) {
        for (const [key, want] of leaves(exp[section], section, [])) {
          const cell = report.cells[key];
          if (cell?.value !== want) {
            wrong.push(`${key}: ${cell?.value} ≠ ${String(want)}`);
            if (cell && cell.flags.length === 0) silent.push(key);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(silent).toEqual([]);
      const failedHard = report.checks.filter((c) => c.status === 'fail' && c.hard).map((c) => c.rule);
      const failing = exp.failing_rules ?? [];
      if (failing.length === 0) expect(failedHard).toEqual([]);
      else expect(failedHard.some((r) => failing.some((f) => f.split('/').includes(r)))).toBe(true);
    });
  }
});
