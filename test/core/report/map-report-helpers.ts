import type { Report, Table } from '../../../core/model/index.js';
import { mapReport } from '../../../core/report/map-report.js';
import { buildPage } from '../../helpers/table-builder.js';
import { REPORT_TEXT_V2021 } from './fixtures.js';

/** What the mapReport tests share: one page of report text, the tables, and readers of the result. */
export const T4_VALUES = ['3', '1', '0', '1', '5', '0', '1', '0', '0', '1', '0', '0', '0', '2', '2'];

export function report(tables: readonly Table[], text = REPORT_TEXT_V2021): Report {
  const r = mapReport([buildPage(text)], tables);
  if (!r) throw new Error('not recognised as a report');
  return r;
}

export const value = (r: Report, key: string): number | null | undefined => r.cells[key]?.value;
export const failedRules = (r: Report): string[] =>
  r.checks.filter((c) => c.status === 'fail' && c.hard).map((c) => `${c.rule} ${c.scope}`);
