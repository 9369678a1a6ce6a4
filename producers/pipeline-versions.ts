import type { Models } from '../models/index.js';
import { readerOfModels, type StatusReader } from './gather-status.js';

/** One pipeline version as the database knows it. */
export interface PipelineVersionUse {
  readonly version: string;
  readonly documents: number;
  /** When a document extracted by it first finished (null: none finished yet). */
  readonly firstFinished: Date | null;
}

/** Numeric comparison of dotted versions: 0.10.0 is newer than 0.9.3 (a `+hash` suffix is ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => (v.split('+')[0] ?? '').split(/[.-]/).map((p) => Number.parseInt(p, 10));
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isNaN(pa[i]) ? 0 : (pa[i] ?? 0);
    const y = Number.isNaN(pb[i]) ? 0 : (pb[i] ?? 0);
    if (x !== y) return x - y;
  }
  return 0;
}

/** The pipeline versions documents were extracted by, with how many each and when each first finished. */
export async function pipelineVersionUses(source: Models | StatusReader): Promise<PipelineVersionUse[]> {
  const reader = 'aggregate' in source ? (source as StatusReader) : readerOfModels(source);
  const rows = await reader.aggregate<{ _id: string | null; n: number; first: Date | null }>('documents', [
    { $group: { _id: '$pipelineVersion', n: { $sum: 1 }, first: { $min: '$finishedAt' } } },
  ]);
  return rows
    .filter((r): r is { _id: string; n: number; first: Date | null } => typeof r._id === 'string')
    .map((r) => ({ version: r._id, documents: r.n, firstFinished: r.first ?? null }));
}

/**
 * The versions older than `than`. A derived version (`0.1.0+3fa2c9…`) names code, not an order, so
 * versions of the same package version are ordered by when their first document finished; a version
 * no document has finished with yet (the running one, before its first result) is the newest.
 */
export function olderVersions(uses: readonly PipelineVersionUse[], than: string): string[] {
  const at = (v: string): number =>
    uses.find((u) => u.version === v)?.firstFinished?.getTime() ?? Number.POSITIVE_INFINITY;
  const limit = at(than);
  return uses
    .map((u) => u.version)
    .filter((v) => {
      if (v === than) return false;
      const byPackage = compareVersions(v, than);
      if (byPackage !== 0) return byPackage < 0;
      // Same package version: a bare `0.1.0` given on the command line means every build of it.
      return than.includes('+') ? at(v) < limit : false;
    });
}
