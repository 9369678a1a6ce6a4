import type { ExtractJob } from './job-context.js';

/**
 * A job whose log lines are collected and sent as one entry when the job ends (or before it waits
 * for its children): each `job.log` is an IPC message from the job process plus a Redis call from
 * the worker, and a born-digital document logs three lines in well under a second.
 */
export function bufferJobLog(job: ExtractJob): { readonly job: ExtractJob; flush(): void } {
  const lines: string[] = [];
  const flush = (): void => {
    if (lines.length === 0) return;
    const row = lines.splice(0).join('\n');
    // Logs are diagnostics: a lost line must not fail the job.
    void Promise.resolve(job.log(row)).catch(() => undefined);
  };
  const buffered = new Proxy(job, {
    get(target, prop) {
      if (prop === 'log') return (row: string) => void lines.push(row);
      if (prop === 'moveToWaitingChildren')
        return (token?: string) => {
          flush();
          return target.moveToWaitingChildren(token);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { job: buffered, flush };
}
