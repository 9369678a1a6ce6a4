/**
 * Runs `work` with a signal that aborts when `ms` pass (or `parent` aborts); then answers 'timeout'
 * at once, without waiting for the work to notice. Work that yields passes the signal on (the OCR
 * engine drops the recogniser calls still queued for it: core/ocr/engine-until.ts); work that never
 * yields is run in a thread instead (pdf/page-reader.ts).
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  parent?: AbortSignal,
): Promise<T | 'timeout'> {
  const controller = new AbortController();
  // No deadline: setTimeout takes any delay past 2³¹−1 ms (Infinity among them) as 1 ms.
  if (!(ms < MAX_TIMER_MS) && !parent) return work(controller.signal);
  const stopped = new Promise<'timeout'>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve('timeout'), { once: true }),
  );
  const timer =
    ms < MAX_TIMER_MS
      ? setTimeout(
          () => controller.abort(new DOMException(`the deadline of ${Math.round(ms)} ms passed`, 'TimeoutError')),
          Math.max(0, ms),
        )
      : undefined;
  const onParent = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  const running = work(controller.signal);
  try {
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParent);
    running.catch(() => undefined);
  }
}
