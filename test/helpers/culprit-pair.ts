import { recheck, type Models } from '../../models/index.js';

/** The two cells of the slip: （七）总计's 自然人 and the row total computed from it. */
export const PAIR_KEYS = ['applications.total_processed.natural_person', 'applications.total_processed.total'] as const;

/**
 * Gives a stored report the slip a printed （七）总计 row makes when a wrong 自然人 is carried into
 * its own total (both + 2) — its other slips read as suggested — with the checks, flags and suggestions the core's rules
 * (core/checks/find-culprits.ts) give it, as an extraction would have stored them. Returns the
 * values as they were (what the pair's suggestions restore); throws when the rules name no pair.
 */
export async function makeCulpritPair(models: Models, sha256: string): Promise<Map<string, number | null>> {
  const stored = (await models.Report.findOne({ sha256 }).lean())!;
  const was = new Map(stored.cells.map((c) => [c.key, c.value]));
  const moved = new Set<string>(PAIR_KEYS);
  // The report's own slips first read as their suggestions, so the pair is the only slip left.
  const cells = stored.cells.map((c) =>
    moved.has(c.key)
      ? { ...c, value: (c.value ?? 0) + 2, raw: String((c.value ?? 0) + 2), flags: [...c.flags, 'likely-culprit'] }
      : typeof c.suggestion === 'number'
        ? { ...c, value: c.suggestion, raw: String(c.suggestion), flags: [] }
        : c,
  );
  const checks = recheck({ ...stored, cells });
  const pair = checks.find((c) => c.status === 'fail' && (c.culprits?.length ?? 0) === 2);
  if (!pair || !pair.culprits!.every((f) => moved.has(f.key))) throw new Error('the rules name no culprit pair');
  const suggested = cells.map((c) => {
    const fix = pair.culprits!.find((f) => f.key === c.key);
    return fix ? { ...c, suggestion: fix.value } : c;
  });
  await models.Report.updateOne({ sha256 }, { $set: { cells: suggested, checks } });
  return new Map(PAIR_KEYS.map((k) => [k, was.get(k) ?? null]));
}
