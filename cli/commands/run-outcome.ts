import type { Models } from '../../models/index.js';
import { listFailed, readerOfModels } from '../../producers/gather-status.js';
import type { RunProgress } from '../../producers/run-progress.js';
import { describeFailed } from './status-command.js';

/** Failed files named at the end of a run; the rest are counted, with the command that lists them. */
const FAILED_NAMED = 5;

/**
 * The last lines of a run a person reads: the counts, the first failed files with their reasons,
 * how to see them all, and where the results are.
 */
export async function describeRunOutcome(models: Models, final: RunProgress, extra = ''): Promise<string> {
  const lines = [
    `run ${final.runId} complete: ${final.queued} documents · ${final.done} done · ${final.needsReview} need review · ${final.failed} failed${extra}`,
  ];
  if (final.failed > 0) {
    const failed = await listFailed(readerOfModels(models), { runId: final.runId, limit: FAILED_NAMED });
    lines.push('failed:', ...failed.map(describeFailed));
    if (final.failed > failed.length) lines.push(`  … and ${final.failed - failed.length} more`);
    lines.push(`  all of them: docq runs show ${final.runId}  (or docq status --failed)`);
  }
  lines.push(
    'next:',
    final.needsReview > 0
      ? `  docq serve    then open http://127.0.0.1:8080/ to review the ${final.needsReview} reports with flagged cells`
      : '  docq serve    then open http://127.0.0.1:8080/ (review page, API, dashboard)',
    '  docq export --format xlsx --out reports.xlsx    every report as a spreadsheet (or csv, jsonl)',
  );
  return `${lines.join('\n')}\n`;
}
