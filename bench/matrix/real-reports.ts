/**
 * The scan matrix's `--real` source: the three real born-digital annual reports of
 * corpus/real/gov_annual_reports, each put through every device. Their ground truth is their own
 * text layer (corpus/real/PROVENANCE.md: "rendering their pages gives image + GT pairs"; `reference/`
 * holds only the empty template, no numbers), read by the born-digital path of the build under test.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SHARED } from '../bench-util.js';

export interface RealReport {
  readonly id: string;
  readonly file: string;
  readonly heldOut?: boolean;
}

const DIR = join(SHARED, 'corpus', 'real', 'gov_annual_reports');

export const REAL_REPORTS: readonly RealReport[] = [
  { id: 'real-city-2024', file: join(DIR, 'huaian_city_2024_gov_info_disclosure_annual_report.pdf') },
  { id: 'real-hongze-2023', file: join(DIR, 'huaian_hongze_2023_gov_info_disclosure_annual_report.pdf') },
  { id: 'real-hongze-2024', file: join(DIR, 'huaian_hongze_2024_gov_info_disclosure_annual_report.pdf') },
];

const SECTIONS = ['active_disclosure', 'applications', 'review_litigation'] as const;
interface Cell {
  value: number | null;
  flags: string[];
}
type Tree = { [key: string]: Tree | Cell };
const isCell = (x: Tree | Cell): x is Cell => 'flags' in x && 'value' in x;

/**
 * The scorer's gt.json of a real report from its text layer: every cell's value under `expected`,
 * the hard rules the printed numbers break as `failing_rules`, and under `printed_flagged` the cells
 * the text layer itself flags (only for a failed hard rule: the report prints an inconsistency, and
 * a scan must flag them too). Any other flag on the text layer makes the truth doubtful: it throws.
 */
export function realGroundTruth(report: RealReport, docq = '.'): Record<string, unknown> {
  const r = spawnSync('node', [join(docq, 'bin', 'docq.js'), 'extract', '--json', report.file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const out = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as {
    report?: Record<string, unknown> & { checks?: { rule: string; passed: boolean }[] };
  };
  const rep = out.report;
  if (!rep) throw new Error(`${report.id}: the text layer gave no report`);
  const printedFlagged: string[] = [];
  const values = (node: Tree, path: string): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(node).map(([k, v]) => {
        const p = `${path}.${k}`;
        if (!isCell(v)) return [k, values(v, p)];
        if (v.flags.some((f) => !f.startsWith('check-failed:')))
          throw new Error(`${report.id}: ${p} is flagged ${v.flags.join(', ')} on the text layer`);
        if (v.flags.length > 0) printedFlagged.push(p);
        return [k, v.value];
      }),
    );
  const expected: Record<string, unknown> = {
    template_version: rep['template_version'],
    report_year: rep['report_year'],
    issuer: rep['issuer'],
    failing_rules: (rep.checks ?? []).filter((c) => !c.passed && /^H\d/.test(c.rule)).map((c) => c.rule),
  };
  for (const s of SECTIONS) expected[s] = values((rep[s] ?? {}) as Tree, s);
  return { kind: 'real', source: report.file, expected, printed_flagged: printedFlagged };
}
