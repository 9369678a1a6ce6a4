import type { Models } from '../models/index.js';

/** Runs this process has seen in its database (a run is never deleted while its jobs exist). */
const known = new Set<string>();

/** The code of a job refused because its run belongs to another database. */
export const RUN_NOT_IN_DATABASE = 'RUN_NOT_IN_DATABASE';

/**
 * Is the job's run in this worker's database? A queue shared by two databases (the same Redis and
 * prefix, a leftover of an interrupted run) must not write one database's documents into the other.
 * One indexed lookup per run and process.
 */
export async function runInDatabase(models: Models, runId: string): Promise<boolean> {
  if (known.has(runId)) return true;
  const found = await models.IngestRun.exists({ runId });
  if (found !== null) known.add(runId);
  return found !== null;
}
