import { createHash, randomBytes } from 'node:crypto';
import type { Models } from '../models/index.js';

export interface OpenedRun {
  readonly runId: string;
  /** An interrupted or unfinished run with the same input was picked up again. */
  readonly resumed: boolean;
}

/** Same roots and pipeline version ⇒ same key: running `docq ingest` again resumes instead of starting over. */
export function runInputKey(kind: string, inputs: readonly string[], pipelineVersion: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([kind, [...inputs].sort(), pipelineVersion]))
    .digest('hex');
  return `${kind}:${digest.slice(0, 32)}`;
}

function newRunId(kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Finds the unfinished run for this input or creates one; either way it is marked running and queueing. */
export async function openRun(
  models: Models,
  opts: { kind: 'ingest' | 'reprocess'; inputs: readonly string[]; pipelineVersion: string; resume?: boolean },
): Promise<OpenedRun> {
  const inputKey = runInputKey(opts.kind, opts.inputs, opts.pipelineVersion);
  if (opts.resume !== false) {
    const open = await models.IngestRun.findOneAndUpdate(
      { inputKey, status: { $in: ['running', 'interrupted'] } },
      { $set: { status: 'running', queueing: true, finishedAt: null } },
      { returnDocument: 'after', sort: { startedAt: -1 } },
    ).lean();
    if (open) return { runId: open.runId, resumed: true };
  }
  const runId = newRunId(opts.kind);
  await models.IngestRun.create({
    runId,
    kind: opts.kind,
    inputKey,
    roots: opts.inputs.slice(0, 20),
    pipelineVersion: opts.pipelineVersion,
    status: 'running',
    queueing: true,
    startedAt: new Date(),
  });
  return { runId, resumed: false };
}

/** Ctrl-C: the run stays resumable; the next `docq ingest` of the same input continues it. */
export async function markInterrupted(models: Models, runId: string): Promise<void> {
  await models.IngestRun.updateOne({ runId, status: 'running' }, { $set: { status: 'interrupted', queueing: false } });
}
