/**
 * The scan matrix: synthetic annual reports printed in every free CJK family Debian ships, each put
 * through every device, scored per font family × device.
 *
 *   npx tsx bench/scan-matrix.ts gen [--per 2] [--families a,b] [--devices x,y]
 *   nice -n 10 npx tsx bench/scan-matrix.ts run --label <label> [--families a,b] [--devices x,y] [--docq <checkout>]
 *   npx tsx bench/scan-matrix.ts table [--label after] [--before before]
 *
 * `gen` writes bench/.matrix/docs/<family>__<device>__<n>/{gt.json,<kind>.pdf} (git-ignored; the same
 * seeds give the same files). Reports come from bench/matrix/compose-report.ts, fonts and devices from
 * bench/matrix/devices.ts; report n of a family is the same report on every device, so the device rows
 * of a family compare like with like. `run` extracts every document with `node bin/docq.js extract
 * --json` (outputs kept in bench/.matrix/out/<label>/), scores each cell with ../shared/tools/score.py
 * (`--docq`: another checkout's build, for before/after) and writes the table to bench/results/scan-matrix.json under <label>. Held-out family and device
 * (marked in devices.ts) are never used for tuning; their rows are reported apart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordRun, RESULTS_DIR, SHARED } from './bench-util.js';
import { printHtml } from '../test/helpers/print-html.js';
import { hash } from './fax-pdf.js';
import { devLayouts } from './matrix/compose-report.js';
import { DEVICES, FAMILIES } from './matrix/devices.js';
import { familyReport } from './matrix/family-report.js';
import { realGroundTruth, REAL_REPORTS } from './matrix/real-reports.js';

const ROOT = join(import.meta.dirname, '.matrix');
const DOCS = join(ROOT, 'docs');

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const chosen = <T extends { id: string }>(all: readonly T[], list: string | undefined): readonly T[] =>
  list ? all.filter((x) => list.split(',').includes(x.id)) : all;

async function generate(args: string[]): Promise<void> {
  const per = Number(option(args, '--per') ?? 2);
  const layouts = devLayouts(join(SHARED, 'corpus', 'dev'));
  const printed = join(ROOT, 'printed');
  mkdirSync(printed, { recursive: true });
  for (const family of chosen(FAMILIES, option(args, '--families'))) {
    const fi = FAMILIES.indexOf(family);
    for (let n = 0; n < per; n++) {
      const { layout, html, gt } = familyReport(family, n, layouts);
      const pdf = join(printed, `${family.id}__${n}.pdf`);
      writeFileSync(pdf, printHtml(html));
      for (const device of chosen(DEVICES, option(args, '--devices'))) {
        const di = DEVICES.indexOf(device);
        const dir = join(DOCS, `${family.id}__${device.id}__${n}`);
        mkdirSync(dir, { recursive: true });
        const issuer = String(gt.expected['issuer'] ?? '人民政府办公室');
        writeFileSync(
          join(dir, `${device.kind}.pdf`),
          await device.make(pdf, { seed: hash(`${family.id}/${device.id}/${n}`), index: fi * 7 + di + n, issuer }),
        );
        writeFileSync(join(dir, 'gt.json'), JSON.stringify({ ...gt, device: device.id }, null, 1));
        console.log(
          `${family.id}__${device.id}__${n}: ${layout.name} ${gt.expected.template_version} digits ${gt.font.digits}${gt.font.bold ? ' bold' : ''}`,
        );
      }
    }
  }
}

/** `gen --real`: the real reports of corpus/real through every device, their text layer the truth. */
async function generateReal(args: string[]): Promise<void> {
  for (const report of chosen(REAL_REPORTS, option(args, '--families'))) {
    const gt = realGroundTruth(report, option(args, '--docq'));
    const issuer = String((gt['expected'] as Record<string, unknown>)['issuer'] ?? '人民政府办公室');
    for (const device of chosen(DEVICES, option(args, '--devices'))) {
      const dir = join(DOCS, `${report.id}__${device.id}__0`);
      mkdirSync(dir, { recursive: true });
      const index = REAL_REPORTS.indexOf(report) * 7 + DEVICES.indexOf(device);
      const seed = hash(`${report.id}/${device.id}`);
      writeFileSync(join(dir, `${device.kind}.pdf`), await device.make(report.file, { seed, index, issuer }));
      writeFileSync(join(dir, 'gt.json'), JSON.stringify({ ...gt, device: device.id }, null, 1));
      console.log(`${report.id}__${device.id}__0: printed flagged ${(gt['printed_flagged'] as string[]).length}`);
    }
  }
}

/**
 * Right cells flagged that the text layer flags too (`printed_flagged` of a real report's gt: cells of a
 * hard rule the printed report breaks). Counted apart: flagging them is the promise, not review work lost.
 */
function printedFlagged(docs: readonly string[], out: string, kind: string): number {
  let n = 0;
  for (const d of docs) {
    const gt = JSON.parse(readFileSync(join(DOCS, d, 'gt.json'), 'utf8')) as {
      expected: Record<string, unknown>;
      printed_flagged?: string[];
    };
    const file = join(out, d, `${kind}.json`);
    if (!gt.printed_flagged?.length || !existsSync(file)) continue;
    const report = (JSON.parse(readFileSync(file, 'utf8')) as { report?: Record<string, unknown> }).report ?? {};
    const at = (root: Record<string, unknown>, path: string): unknown =>
      path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], root);
    for (const p of gt.printed_flagged) {
      const cell = at(report, p) as { value: unknown; flags?: string[] } | undefined;
      if (cell?.flags?.length && cell.value === at(gt.expected, p)) n++;
    }
  }
  return n;
}

interface Row {
  family: string;
  device: string;
  heldOut: boolean;
  docs: number;
  cells: number;
  correctPct: number;
  silent: number;
  rightFlaggedPct: number;
  /** Of the right cells flagged, those the text layer flags too (real reports that print an inconsistency). */
  printedFlagged?: number;
  wrongCaughtPct: number;
  missing: number;
  failedDocs: number;
  silentCells: unknown[];
}

function run(args: string[]): void {
  const label = option(args, '--label') ?? 'run';
  const out = join(ROOT, 'out', label);
  const rows: Row[] = [];
  const sources: readonly { id: string; heldOut?: boolean }[] = args.includes('--real') ? REAL_REPORTS : FAMILIES;
  for (const family of chosen(sources, option(args, '--families')))
    for (const device of chosen(DEVICES, option(args, '--devices'))) {
      const docs = existsSync(DOCS)
        ? readdirSync(DOCS)
            .filter((d) => d.startsWith(`${family.id}__${device.id}__`))
            .sort()
        : [];
      if (docs.length === 0) continue;
      const todo = docs.filter((d) => !existsSync(join(out, d, `${device.kind}.json`)));
      if (todo.length > 0) {
        // Niceness is the caller's (`nice -n 10 npx tsx …`): a second nice here put extraction at 19.
        const r = spawnSync(
          'node',
          [
            join(option(args, '--docq') ?? '.', 'bin', 'docq.js'),
            'extract',
            '--json',
            ...todo.map((d) => join(DOCS, d, `${device.kind}.pdf`)),
          ],
          { encoding: 'utf8', maxBuffer: 1 << 28 },
        );
        const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
        todo.forEach((d, i) => {
          mkdirSync(join(out, d), { recursive: true });
          writeFileSync(join(out, d, `${device.kind}.json`), lines[i] ?? '{"status":"failed"}');
        });
      }
      const json = join(out, `${family.id}__${device.id}.score.json`);
      spawnSync('python3', [
        join(SHARED, 'tools', 'score.py'),
        '--corpus',
        DOCS,
        '--outputs',
        out,
        '--kinds',
        device.kind,
        '--docs',
        `${family.id}__${device.id}__*`,
        '--quiet',
        '--json',
        json,
      ]);
      const scored = JSON.parse(readFileSync(json, 'utf8')) as {
        summary: Record<string, Record<string, number>>;
        rows: { silent_cells: unknown[]; correct: number; false_alarm: number; caught: number }[];
      };
      const s = scored.summary[device.kind]!;
      const sum = (k: 'correct' | 'false_alarm' | 'caught'): number => scored.rows.reduce((a, r) => a + r[k], 0);
      const cells = s['cells']! || 1;
      rows.push({
        family: family.id,
        device: device.id,
        heldOut: family.heldOut === true || device.heldOut === true,
        docs: s['docs']!,
        cells: s['cells']!,
        correctPct: s['correct_pct']!,
        silent: s['silent']!,
        rightFlaggedPct: Math.round((1000 * sum('false_alarm')) / cells) / 10,
        printedFlagged: printedFlagged(docs, out, device.kind),
        wrongCaughtPct: Math.round((1000 * sum('caught')) / cells) / 10,
        missing: s['missing']!,
        failedDocs: s['failed_docs']!,
        silentCells: scored.rows.flatMap((r) => r.silent_cells),
      });
      const last = rows[rows.length - 1]!;
      console.log(
        `${last.heldOut ? 'HELD-OUT ' : ''}${family.id} × ${device.id}: correct ${last.correctPct} %, silent ${last.silent}, right flagged ${last.rightFlaggedPct} %${last.printedFlagged ? ` (${last.printedFlagged} cells printed inconsistent)` : ''}, wrong caught ${last.wrongCaughtPct} %, missing ${last.missing}`,
      );
    }
  // A label's rows gather over several runs (subsets of the matrix); a cell run again replaces its row.
  recordRun(
    'scan-matrix',
    'bench/scan-matrix.ts: scorer per font family × device on generated reports; rightFlaggedPct / wrongCaughtPct are of all cells; heldOut rows were never tuned on',
    label,
    (earlier) => {
      const kept = ((earlier as { rows?: Row[] } | undefined)?.rows ?? []).filter(
        (e) => !rows.some((r) => r.family === e.family && r.device === e.device),
      );
      return { at: new Date().toISOString(), rows: [...kept, ...rows] };
    },
  );
  printTable(rows, undefined);
}

/** The markdown table of a label's rows (held-out rows marked), with a `before` label's figures beside them. */
function printTable(rows: readonly Row[], before: readonly Row[] | undefined): void {
  const was = (r: Row, k: keyof Row): string => {
    const b = before?.find((x) => x.family === r.family && x.device === r.device);
    return b ? ` (${String(b[k])})` : '';
  };
  console.log(
    `\n| family | device | held out | cells | correct %${before ? ' (before)' : ''} | silent | right flagged % | wrong caught % | missing |\n|---|---|---|---|---|---|---|---|---|`,
  );
  for (const r of rows)
    console.log(
      `| ${r.family} | ${r.device} | ${r.heldOut ? '**yes**' : ''} | ${r.cells} | ${r.correctPct}${was(r, 'correctPct')} | ${r.silent}${was(r, 'silent')} | ${r.rightFlaggedPct}${was(r, 'rightFlaggedPct')}${r.printedFlagged ? ` [${r.printedFlagged} printed]` : ''} | ${r.wrongCaughtPct}${was(r, 'wrongCaughtPct')} | ${r.missing}${was(r, 'missing')} |`,
    );
}

function table(args: string[]): void {
  const runs = (
    JSON.parse(readFileSync(join(RESULTS_DIR, 'scan-matrix.json'), 'utf8')) as { runs: Record<string, { rows: Row[] }> }
  ).runs;
  const rows = runs[option(args, '--label') ?? 'after']?.rows ?? [];
  const order = (r: Row): number =>
    FAMILIES.findIndex((f) => f.id === r.family) * 100 + DEVICES.findIndex((d) => d.id === r.device);
  printTable(
    [...rows].sort((a, b) => Number(a.heldOut) - Number(b.heldOut) || order(a) - order(b)),
    runs[option(args, '--before') ?? 'before']?.rows,
  );
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'gen') await (rest.includes('--real') ? generateReal(rest) : generate(rest));
else if (command === 'run') run(rest);
else if (command === 'table') table(rest);
else
  console.error(
    'usage: scan-matrix.ts gen|run|table [--per N] [--families a,b] [--devices x,y] [--label L] [--before L]',
  );
