import type { Command } from 'commander';
import type { IngestRunRecord } from '../../models/ingest-run.model.js';
import { toFailedDocument } from '../../producers/gather-status.js';
import { failureReason, withReader } from './status-command.js';

/** Runs `docq runs` lists unless --limit says otherwise. */
const DEFAULT_LIMIT = 20;

type RunRow = Pick<IngestRunRecord, 'runId' | 'kind' | 'status' | 'counts' | 'startedAt' | 'roots'> & {
  finishedAt?: Date | null;
};

function runLine(r: RunRow): string {
  const c = r.counts;
  return `${r.runId} ${r.kind} ${r.status} ${r.startedAt.toISOString()} · ${c.queued} queued · done ${c.done} · review ${c.needsReview} · failed ${c.failed} · skipped ${c.skipped} · already done ${c.alreadyDone}${c.fetchFailed > 0 ? ` · fetch failed ${c.fetchFailed}` : ''} · ${r.roots.slice(0, 2).join(', ')}`;
}

type RunDoc = {
  sha256: string;
  status: string;
  source?: { path?: string; url?: string };
  error?: { code?: string; message?: string; stage?: string } | null;
  attempts?: number;
  summary?: { flagged?: number };
};

/** One line per file of the run: its outcome, where it came from, and the reason when it failed or was flagged. */
function fileLine(d: RunDoc): string {
  const where = d.source?.path ?? d.source?.url ?? d.sha256;
  if (d.status === 'failed') {
    const f = toFailedDocument(d);
    return `  failed       ${where} — ${f.code}: ${failureReason(f)}`;
  }
  if (d.status === 'needs_review') return `  needs review ${where} — ${d.summary?.flagged ?? 0} cells flagged`;
  return `  ${d.status.padEnd(12)} ${where}`;
}

export function registerRunsCommand(program: Command): void {
  const runs = program
    .command('runs')
    .description('Ingest, crawl and reprocess runs, newest first; `runs show <id>` lists every file of one run.')
    .option('--limit <n>', 'how many runs', String(DEFAULT_LIMIT))
    .option('--json', 'print JSON')
    .action(async (flags: { limit: string; json?: boolean }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        process.stderr.write('--limit takes a positive whole number\n');
        process.exitCode = 2;
        return;
      }
      await withReader(async (reader) => {
        const rows = await reader.aggregate<RunRow>('ingest_runs', [
          { $sort: { startedAt: -1 } },
          { $limit: limit },
          { $project: { _id: 0, skipped: 0, fetchFailures: 0, retryAfterWaits: 0 } },
        ]);
        if (flags.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write('no runs yet: docq ingest <folder>\n');
        else for (const r of rows) process.stdout.write(`${runLine(r)}\n`);
      });
    });

  runs
    .command('show')
    .description('One run: its counts and every file with its outcome (failed ones with code, message and stage).')
    .argument('<runId>')
    .option('--json', 'print JSON')
    .action(async (runId: string, flags: { json?: boolean }) => {
      await withReader(async (reader) => {
        const [run] = await reader.aggregate<RunRow & Pick<IngestRunRecord, 'skipped' | 'fetchFailures'>>(
          'ingest_runs',
          [{ $match: { runId } }, { $project: { _id: 0 } }],
        );
        if (!run) {
          process.stderr.write(`no run ${runId} (docq runs lists them)\n`);
          process.exitCode = 2;
          return;
        }
        // Failed first, then review, then the rest; by path within each.
        const docs = await reader.aggregate<RunDoc>('documents', [
          { $match: { runId } },
          { $project: { sha256: 1, status: 1, source: 1, error: 1, attempts: 1, 'summary.flagged': 1 } },
          { $sort: { status: 1, 'source.path': 1, 'source.url': 1 } },
        ]);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ run, documents: docs }, null, 2)}\n`);
          return;
        }
        const order = ['failed', 'needs_review', 'processing', 'queued', 'done'];
        docs.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
        const out = [runLine(run), `files (${docs.length}):`, ...docs.map(fileLine)];
        if (run.fetchFailures.length > 0)
          out.push(
            `fetch failures (${run.counts.fetchFailed}):`,
            ...run.fetchFailures.map((f) => `  ${f.code ?? '?'} ${f.url ?? f.path ?? ''} — ${f.reason}`),
          );
        if (run.skipped.length > 0)
          out.push(
            `skipped (${run.counts.skipped}):`,
            ...run.skipped.map((s) => `  ${s.path ?? s.url ?? ''} — ${s.reason}`),
          );
        if (run.counts.alreadyDone > 0)
          out.push(`${run.counts.alreadyDone} files were already done by earlier runs and not processed again`);
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
}
