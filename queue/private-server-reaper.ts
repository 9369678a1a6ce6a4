/**
 * The private-server reaper: a small detached process a docq command starts beside the private
 * servers it uses (Redis, the embedded MongoDB). When the command dies without cleaning up
 * (kill -9, a crash, a second Ctrl-C), the reaper does what its exit would have done: drop its Redis
 * lease and stop that server when nobody alive uses it, and stop the embedded server it owned.
 * A command that exits normally has done this itself; the reaper then finds nothing left to do.
 * Usage: node private-server-reaper.js '<ReaperPlan JSON>'
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseDeadLeases } from './ensure-redis.js';
import { isLeaseHolderAlive, type LeaseHolder } from './redis-lease.js';

export interface ReaperPlan {
  /** The docq command watched. */
  readonly owner: LeaseHolder;
  /** Data directory of the private Redis the command holds a lease on. */
  readonly redisDir?: string;
  /** The embedded MongoDB server the command started (stopped when the command ends). */
  readonly mongo?: LeaseHolder;
}

const POLL_MS = 500;
const STOP_WAIT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function stopProcess(holder: LeaseHolder): Promise<void> {
  if (!isLeaseHolderAlive(holder)) return;
  try {
    process.kill(holder.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isLeaseHolderAlive(holder) && Date.now() < deadline) await sleep(50);
  if (isLeaseHolderAlive(holder)) process.kill(holder.pid, 'SIGKILL');
}

export async function reap(plan: ReaperPlan): Promise<void> {
  while (isLeaseHolderAlive(plan.owner)) await sleep(POLL_MS);
  if (plan.mongo) await stopProcess(plan.mongo);
  if (plan.redisDir) await releaseDeadLeases(plan.redisDir);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.on('SIGINT', () => undefined); // the terminal's Ctrl-C is for the command, not for its reaper
  reap(JSON.parse(process.argv[2] ?? '{}') as ReaperPlan).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
