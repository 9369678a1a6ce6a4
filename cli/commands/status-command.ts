import type { Command } from 'commander';
import { PIPELINE_VERSION } from '../../core/version.js';
import { gatherStatus, type QueueStatus } from '../../producers/gather-status.js';
import { pipelineVersionUses, type PipelineVersionUse } from '../../producers/pipeline-versions.js';
import { withQueueServices } from './queue-services.js';

function render(status: QueueStatus, versions: readonly PipelineVersionUse[]): string {
  const q = status.queues;
  const older = versions.filter((v) => v.version !== PIPELINE_VERSION).reduce((n, v) => n + v.documents, 0);
  const lines = [
    `pipeline: ${PIPELINE_VERSION}${older > 0 ? ` (${older} documents extracted by other versions: docq reprocess --pipeline-older-than current)` : ''}`,
    `queue: ${q['waiting'] ?? 0} waiting · ${q['active'] ?? 0} active · ${q['delayed'] ?? 0} delayed · ${q['waiting-children'] ?? 0} waiting for pages · ${q['failed'] ?? 0} failed`,
    `workers connected: ${status.workers}`,
    `documents: ${
      Object.entries(status.documents)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ') || 'none'
    }`,
  ];
  if (status.runs.length > 0) {
    lines.push('runs:');
    for (const r of status.runs) {
      const c = r.counts;
      const finished = (c['done'] ?? 0) + (c['needsReview'] ?? 0) + (c['failed'] ?? 0);
      lines.push(
        `  ${r.runId} ${r.kind} ${r.status}: ${finished}/${c['queued'] ?? 0} finished (done ${c['done'] ?? 0}, review ${c['needsReview'] ?? 0}, failed ${c['failed'] ?? 0})`,
      );
    }
  }
  if (status.failuresByCode.length > 0)
    lines.push(`failures: ${status.failuresByCode.map((f) => `${f.code} ${f.count}`).join(' · ')}`);
  if (status.needsReview.count > 0) {
    lines.push(`need review: ${status.needsReview.count}`);
    for (const d of status.needsReview.top)
      lines.push(`  ${d.sha256.slice(0, 12)} flagged ${d.flagged} ${d.path ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('Queues, workers, runs, failures by error code and the documents that need review.')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withQueueServices(async (services) => {
        const status = await gatherStatus(services.db.models, services.queue);
        const versions = await pipelineVersionUses(services.db.models);
        const pipeline = { current: PIPELINE_VERSION, versions };
        process.stdout.write(
          flags.json ? `${JSON.stringify({ ...status, pipeline }, null, 2)}\n` : render(status, versions),
        );
      });
    });
}
