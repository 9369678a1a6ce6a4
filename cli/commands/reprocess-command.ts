import type { Command } from 'commander';
import { PIPELINE_VERSION } from '../../core/version.js';
import { reprocess, type ReprocessSelector } from '../../producers/reprocess.js';
import { watchRun } from '../../producers/watch-run.js';
import { checkWorkers, startLocalWorker } from './local-worker.js';
import { withQueueServices } from './queue-services.js';
import { describeRunOutcome } from './run-outcome.js';

interface ReprocessFlags {
  workers?: string;
  wait?: boolean;
  failed?: boolean;
  needsReview?: boolean;
  below?: string;
  pipelineOlderThan?: string;
  doc?: string;
}

function toSelector(flags: ReprocessFlags): ReprocessSelector | string {
  const chosen: ReprocessSelector[] = [];
  if (flags.failed) chosen.push({ kind: 'failed' });
  if (flags.needsReview) chosen.push({ kind: 'needs-review' });
  if (flags.below !== undefined) {
    const confidence = Number(flags.below);
    if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1)
      return '--below takes a confidence between 0 and 1';
    chosen.push({ kind: 'below', confidence });
  }
  if (flags.pipelineOlderThan !== undefined)
    chosen.push({
      kind: 'pipeline-older-than',
      version: flags.pipelineOlderThan === 'current' ? PIPELINE_VERSION : flags.pipelineOlderThan,
    });
  if (flags.doc !== undefined) {
    if (!/^[0-9a-f]{8,64}$/.test(flags.doc)) return '--doc takes a sha256 (or its first 8+ hex digits)';
    chosen.push({ kind: 'doc', sha256: flags.doc });
  }
  if (chosen.length !== 1)
    return 'choose exactly one of --failed, --needs-review, --below, --pipeline-older-than, --doc';
  return chosen[0] as ReprocessSelector;
}

export function registerReprocessCommand(program: Command): void {
  program
    .command('reprocess')
    .description('Queue selected documents again (attempts reset, human corrections kept).')
    .option('--failed', 'documents that failed')
    .option('--needs-review', 'documents that need review')
    .option('--below <confidence>', 'documents whose mean confidence is below this (0…1)')
    .option(
      '--pipeline-older-than <version>',
      'documents extracted by a pipeline older than this version (`current`: the running one)',
    )
    .option('--doc <sha256>', 'one document')
    .option('--workers <n>', 'also process the run here with n concurrent jobs (implies --wait)')
    .option('--wait', 'follow the run until it is complete and say what failed')
    .action(async (flags: ReprocessFlags) => {
      const selector = toSelector(flags);
      const bad = typeof selector === 'string' ? selector : checkWorkers(flags.workers);
      if (bad !== null || typeof selector === 'string') {
        process.stderr.write(`docq reprocess: ${bad}\n`);
        process.exitCode = 2;
        return;
      }
      await withQueueServices(async (services) => {
        const worker = await startLocalWorker(services, flags.workers);
        try {
          const result = await reprocess(services.db.models, services.queue, selector, PIPELINE_VERSION);
          process.stdout.write(
            `selected ${result.selected} documents; queued ${result.queued} as run ${result.runId}` +
              (result.noSource > 0
                ? ` (${result.noSource} without a file to read were left` +
                  (result.kept > 0 ? `; ${result.kept} keep their last result, with SOURCE_MISSING recorded` : '') +
                  ')'
                : '') +
              '\n',
          );
          if (!worker && !flags.wait) {
            if (result.queued > 0)
              process.stdout.write(
                'a worker processes them: `docq worker` (elsewhere), or run this again with --workers N (here) or --wait (follow the run)\n',
              );
            return;
          }
          if (!worker && (await services.queue.getWorkersCount()) === 0)
            process.stderr.write('waiting for workers (start some with `docq worker`, or pass --workers N)\n');
          const final = await watchRun(services.db.models, result.runId, { queue: services.queue });
          if (final) {
            process.stdout.write(await describeRunOutcome(services.db.models, final));
            if (final.failed > 0) process.exitCode = 1;
          }
        } finally {
          await worker?.close();
        }
      });
    });
}
