import type { Models } from '../models/index.js';
import { gatherStatus, listFailed, readerOfModels } from '../producers/gather-status.js';

/** Rates are measured over this window. */
const RATE_WINDOW_MS = 10 * 60_000;
/** Failed documents read to group by reason; each reason lists at most FILES_PER_REASON files. */
const FAILED_READ = 500;
const FILES_PER_REASON = 20;

/**
 * What the dashboard page shows: runs in progress (live counts), documents and pages per minute
 * over the last ten minutes, failures by reason with their files, documents by year and status,
 * and the review backlog. Reads only.
 */
export async function dashboardData(models: Models) {
  const reader = readerOfModels(models);
  const since = new Date(Date.now() - RATE_WINDOW_MS);
  const [status, failed, byYear, recent] = await Promise.all([
    gatherStatus(reader, null),
    listFailed(reader, { limit: FAILED_READ }),
    reader.aggregate<{ _id: { year: number | null; status: string }; n: number }>('documents', [
      { $group: { _id: { year: '$metadata.reportYear', status: '$status' }, n: { $sum: 1 } } },
    ]),
    reader.aggregate<{ docs: number; pages: number }>('documents', [
      { $match: { finishedAt: { $gte: since } } },
      { $group: { _id: null, docs: { $sum: 1 }, pages: { $sum: '$summary.pages' } } },
    ]),
  ]);
  const reasons = new Map<
    string,
    { code: string; count: number; files: { source: string | null; message: string; stage: string }[] }
  >();
  for (const f of failed) {
    const reason = reasons.get(f.code) ?? { code: f.code, count: 0, files: [] };
    reason.count++;
    if (reason.files.length < FILES_PER_REASON)
      reason.files.push({ source: f.source, message: f.message, stage: f.stage });
    reasons.set(f.code, reason);
  }
  // Counts come from the full aggregation; the files from the newest failures read.
  for (const f of status.failuresByCode) {
    const reason = reasons.get(f.code);
    if (reason) reason.count = f.count;
  }
  const years = new Map<string, Record<string, number>>();
  for (const row of byYear) {
    const year = row._id.year === null || row._id.year === undefined ? 'unknown' : String(row._id.year);
    years.set(year, { ...years.get(year), [row._id.status]: row.n });
  }
  const minutes = RATE_WINDOW_MS / 60_000;
  return {
    at: new Date(),
    runs: status.runs.filter((r) => r.status === 'running'),
    recentRuns: status.runs.slice(0, 5),
    rates: {
      docsPerMin: (recent[0]?.docs ?? 0) / minutes,
      pagesPerMin: (recent[0]?.pages ?? 0) / minutes,
      windowMinutes: minutes,
    },
    failures: [...reasons.values()].sort((a, b) => b.count - a.count),
    documentsByYear: [...years.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([year, counts]) => ({ year, counts })),
    documents: status.documents,
    reviewBacklog: status.needsReview,
  };
}
