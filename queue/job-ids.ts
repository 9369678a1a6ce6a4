/**
 * Job ids derive from the content hash and the pipeline version, so the same file queued twice
 * (two ingest runs, a crawl and an ingest) becomes one job. BullMQ forbids ':' and integer ids.
 */

/** Pipeline versions such as `1.2.0` are kept readable; anything outside [A-Za-z0-9._-] becomes '_'. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function documentJobId(sha256: string, pipelineVersion: string): string {
  return `doc-${sha256}-${slug(pipelineVersion)}`;
}

/** Reprocessing must not collide with the retained job of the first pass, so the run id is part of it. */
export function reprocessJobId(sha256: string, pipelineVersion: string, runId: string): string {
  return `re-${sha256}-${slug(pipelineVersion)}-${slug(runId)}`;
}

export function pagesJobId(parentJobId: string, from: number, to: number): string {
  return `${parentJobId}-p${from}-${to}`;
}
