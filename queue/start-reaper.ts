import { spawn } from 'node:child_process';
import { holderOf } from './redis-lease.js';
import type { ReaperPlan } from './private-server-reaper.js';

/**
 * Starts the private-server reaper for this process (see private-server-reaper.ts): detached, in its
 * own process group, with no terminal, so neither Ctrl-C nor the death of this process reaches it.
 */
export function startReaper(plan: Omit<ReaperPlan, 'owner'>): void {
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './private-server-reaper.ts' : './private-server-reaper.js', import.meta.url).pathname;
  const full: ReaperPlan = { ...plan, owner: holderOf(process.pid) };
  const child = spawn(process.execPath, [...(source ? ['--import', 'tsx'] : []), entry, JSON.stringify(full)], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  child.unref();
}
