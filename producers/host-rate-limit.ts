/**
 * A politeness limit per host: requests to one host start at least `minIntervalMs` apart, whatever
 * the number of callers. Slots are reserved synchronously, so concurrent callers queue up in order.
 * It lives in the crawling process; one crawl job runs in one process, so no shared state is needed.
 */
export interface HostRateLimit {
  /** Resolves when a request to `url`'s host may start; rejects if `signal` aborts first. */
  wait(url: URL, signal?: AbortSignal): Promise<void>;
  /** Raises the interval for `url`'s host (robots.txt Crawl-delay); never lowers it. */
  slowDown(url: URL, minIntervalMs: number): void;
  /** No request to `url`'s host starts for `ms` from now (HTTP Retry-After); never shortens a pause. */
  pause(url: URL, ms: number): void;
}

export function createHostRateLimit(minIntervalMs: number, now: () => number = Date.now): HostRateLimit {
  const nextSlot = new Map<string, number>();
  const intervals = new Map<string, number>();
  return {
    async wait(url, signal) {
      const host = url.host.toLowerCase();
      const current = now();
      const slot = Math.max(current, nextSlot.get(host) ?? current);
      nextSlot.set(host, slot + (intervals.get(host) ?? minIntervalMs));
      const delay = slot - current;
      if (delay > 0) await sleep(delay, signal);
      signal?.throwIfAborted();
    },
    pause(url, ms) {
      const host = url.host.toLowerCase();
      nextSlot.set(host, Math.max(nextSlot.get(host) ?? 0, now() + ms));
    },
    slowDown(url, interval) {
      const host = url.host.toLowerCase();
      if (interval > (intervals.get(host) ?? minIntervalMs)) intervals.set(host, interval);
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
