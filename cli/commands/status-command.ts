import type { Command } from 'commander';
import { PIPELINE_VERSION } from '../../core/version.js';
import { pipelineVersionUses, type PipelineVersionUse } from '../../producers/pipeline-versions.js';
import { gatherStatus, listFailed, type FailedDocument, type QueueStatus } from '../../producers/gather-status.js';
import { openReadServices, type ReadServices } from './read-services.js';

/** Failed documents `docq status` shows before pointing at `--failed`. */
const FAILED_SHOWN = 5;

/** One line per failed document: code, where it came from, why, at which stage, after how many attempts. */
export function describeFailed(f: FailedDocument): string {
  return `  ${f.code} ${f.source ?? f.sha256} — ${failureReason(f)}`;
}

/** The message, the stage and the attempts of a failed document. */
export function failureReason(f: FailedDocument): string {
  const attempts = f.attempts === 1 ? '1 attempt' : `${f.attempts} attempts`;
  return `${f.message || 'no message'} (stage ${f.stage || '?'}, ${attempts})`;
}

function render(status: QueueStatus, versions: readonly PipelineVersionUse[]): string {
  const q = status.queues;
  const older = versions.filter((v) => v.version !== PIPELINE_VERSION).reduce((n, v) => n + v.documents, 0);
  const lines = [
    `pipeline: ${PIPELINE_VERSION}${older > 0 ? ` (${older} documents extracted by other versions: docq reprocess --pipeline-older-than current)` : ''}`,
    q === null
      ? 'queue: not running'
      : `queue: ${q['waiting'] ?? 0} waiting · ${q['active'] ?? 0} active · ${q['delayed'] ?? 0} delayed · ${q['waiting-children'] ?? 0} waiting for pages · ${q['failed'] ?? 0} failed jobs`,
    `workers connected: ${status.workers ?? 0}`,
    `documents: ${
      Object.entries(status.documents)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ') || 'none'
    }`,
  ];
  if (status.runs.length > 0) {
    lines.push('runs (newest first; `docq runs show <id>` lists every file):');
    for (const r of status.runs.slice(0, 5)) {
      const c = r.counts;
      const finished = (c['done'] ?? 0) + (c['needsReview'] ?? 0) + (c['failed'] ?? 0);
      lines.push(
        `  ${r.runId} ${r.kind} ${r.status}: ${finished}/${c['queued'] ?? 0} finished (done ${c['done'] ?? 0}, review ${c['needsReview'] ?? 0}, failed ${c['failed'] ?? 0})`,
      );
    }
  }
  if (status.failed.count > 0) {
    lines.push(
      `failed documents: ${status.failed.count} (${status.failuresByCode.map((f) => `${f.code} ${f.count}`).join(' · ')})`,
    );
    for (const f of status.failed.top.slice(0, FAILED_SHOWN)) lines.push(describeFailed(f));
    if (status.failed.count > FAILED_SHOWN)
      lines.push(`  … ${status.failed.count - FAILED_SHOWN} more: docq status --failed [--code X]`);
  }
  if (status.needsReview.count > 0) {
    lines.push(`need review: ${status.needsReview.count} (docq serve, then open the review page)`);
    for (const d of status.needsReview.top.slice(0, FAILED_SHOWN))
      lines.push(`  ${d.sha256.slice(0, 12)} flagged ${d.flagged} ${d.path ?? ''}`);
  }
  for (const note of status.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

interface StatusFlags {
  json?: boolean;
  failed?: boolean;
  code?: string;
}

/** Opens the read-only services, runs `action` with a reader; exit 2 when the database cannot be read at all. */
export async function withReader(
  action: (reader: NonNullable<ReadServices['reader']>, services: ReadServices) => Promise<void>,
): Promise<void> {
  const services = await openReadServices();
  try {
    if (!services.reader) {
      process.stderr.write(`${services.notes.join('\n')}\n`);
      process.exitCode = 2;
      return;
    }
    await action(services.reader, services);
  } finally {
    await services.close();
  }
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'Queues, workers, runs, the failed documents (path or URL, code, message, stage, attempts) and those that need review. Reads only: starts no server.',
    )
    .option('--json', 'print JSON')
    .option('--failed', 'list every failed document')
    .option('--code <code>', 'with --failed: only this error code (e.g. CORRUPT)')
    .action(async (flags: StatusFlags) => {
      if (flags.code !== undefined && !flags.failed) {
        process.stderr.write('--code goes with --failed: docq status --failed --code CORRUPT\n');
        process.exitCode = 2;
        return;
      }
      await withReader(async (reader, services) => {
        if (flags.failed) {
          const failed = await listFailed(reader, flags.code !== undefined ? { code: flags.code } : {});
          if (flags.json) process.stdout.write(`${JSON.stringify(failed, null, 2)}\n`);
          else {
            process.stdout.write(
              `${failed.length} failed documents${flags.code !== undefined ? ` with code ${flags.code}` : ''}\n`,
            );
            for (const f of failed) process.stdout.write(`${describeFailed(f)}\n`);
          }
          return;
        }
        const status = await gatherStatus(reader, services.queue);
        const versions = await pipelineVersionUses(reader);
        const shown = { ...status, notes: [...services.notes, ...status.notes] };
        const pipeline = { current: PIPELINE_VERSION, versions };
        process.stdout.write(
          flags.json ? `${JSON.stringify({ ...shown, pipeline }, null, 2)}\n` : render(shown, versions),
        );
      });
    });
}
