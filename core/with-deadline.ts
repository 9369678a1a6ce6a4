/**
 * The work's result, or 'timeout' when it takes longer than `ms`. For work that yields (OCR waits on
 * the recogniser's threads): the recogniser's calls already queued still finish; their late result is
 * dropped. Work that never yields is run in a thread instead (pdf/page-reader.ts).
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  // No deadline: setTimeout takes any delay past 2³¹−1 ms (Infinity among them) as 1 ms.
  if (!(ms < MAX_TIMER_MS)) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
