import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { identify, isIdentityAlive, type ProcessIdentity } from '../embedded-mongo/process-identity.js';

/**
 * Bookkeeping of docq's private Redis under its data directory: `server.json` names the running
 * redis-server, `leases/<pid>-<uuid>.json` one per docq command using it, `lock` serialises
 * start-or-join against leave-or-stop. A process is identified by pid and start time (Linux
 * /proc), so a reused pid does not pass for a living user.
 */

/** The holder of a lease, a lock or a private server: see embedded-mongo/process-identity.ts. */
export type LeaseHolder = ProcessIdentity;

export interface ServerFile extends LeaseHolder {
  readonly port: number;
}

/** How long a command waits for another one holding the lock before taking it over. */
const LOCK_WAIT_MS = 30_000;

export function leasePaths(dataDir: string): { leases: string; server: string; lock: string } {
  return { leases: join(dataDir, 'leases'), server: join(dataDir, 'server.json'), lock: join(dataDir, 'lock') };
}

export const holderOf = identify;
export const isLeaseHolderAlive = isIdentityAlive;

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function readLeaseFile(path: string): LeaseHolder | undefined {
  const json = readJson(path);
  if (typeof json?.['pid'] !== 'number') return undefined;
  return typeof json['startTime'] === 'string'
    ? { pid: json['pid'], startTime: json['startTime'] }
    : { pid: json['pid'] };
}

export function readServerFile(dataDir: string): ServerFile | undefined {
  const path = leasePaths(dataDir).server;
  const holder = readLeaseFile(path);
  const port = readJson(path)?.['port'];
  return holder !== undefined && typeof port === 'number' ? { ...holder, port } : undefined;
}

/** Runs `body` holding `<dataDir>/lock` (created exclusively; a lock whose holder died is taken over). */
export async function withRedisLock<T>(dataDir: string, body: () => Promise<T>): Promise<T> {
  const path = leasePaths(dataDir).lock;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(holderOf(process.pid)));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLeaseFile(path);
    // A holder that died, or one that has not written its pid yet for far too long, loses the lock.
    if ((holder !== undefined && !isLeaseHolderAlive(holder)) || Date.now() > deadline) {
      try {
        unlinkSync(path);
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  try {
    return await body();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
