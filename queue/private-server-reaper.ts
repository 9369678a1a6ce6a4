/**
 * The private-Redis reaper: a small detached process a docq command starts before it starts or
 * joins the private Redis. When the command dies without cleaning up (kill -9, a crash, a second
 * Ctrl-C), the reaper does what its exit would have done: drop its lease and stop that server when
 * nobody alive uses it. A command that exits normally has done this itself; the reaper then finds
 * nothing left to do. (An embedded MongoDB server a command starts watches that command itself:
 * embedded-mongo/server-main.ts --owner.)
 * Usage: node private-server-reaper.js '<ReaperPlan JSON>'
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseDeadLeases } from './ensure-redis.js';
import { isLeaseHolderAlive, type LeaseHolder } from './redis-lease.js';

export interface ReaperPlan {
  /** The docq command watched. */
  readonly owner: LeaseHolder;
  /** Data directory of the private Redis the command may start or hold a lease on. */
  readonly redisDir: string;
}

const POLL_MS = 500;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function reap(plan: ReaperPlan): Promise<void> {
  while (isLeaseHolderAlive(plan.owner)) await sleep(POLL_MS);
  await releaseDeadLeases(plan.redisDir);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.on('SIGINT', () => undefined); // the terminal's Ctrl-C is for the command, not for its reaper
  reap(JSON.parse(process.argv[2] ?? '{}') as ReaperPlan).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
