import type { Command } from 'commander';
import { PIPELINE_VERSION } from '../../core/version.js';
import { reprocess, type ReprocessSelector } from '../../producers/reprocess.js';
import { withQueueServices } from './queue-services.js';

interface ReprocessFlags {
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
    .action(async (flags: ReprocessFlags) => {
      const selector = toSelector(flags);
      if (typeof selector === 'string') {
        process.stderr.write(`${selector}\n`);
        process.exitCode = 2;
        return;
      }
      await withQueueServices(async (services) => {
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
      });
    });
}
