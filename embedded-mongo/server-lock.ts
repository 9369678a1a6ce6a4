// `<dataDir>/server.lock` names the process serving a data directory ({pid, port, host}).
// It is created exclusively; a lock whose pid is dead is stale and taken over. SQLite's
// exclusive locking mode is the second line of defence against two servers on one directory.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'server.lock';

export interface LockOwner {
  readonly pid: number;
  readonly port: number;
  readonly host: string;
}

export type LockResult =
  { readonly kind: 'acquired'; publish(owner: LockOwner): void } | { readonly kind: 'held'; readonly owner: LockOwner };

/** Data directories served by this process (a pid check cannot tell those apart). */
const heldHere = new Set<string>();

export function lockPath(dataDir: string): string {
  return join(dataDir, LOCK_FILE);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockOwner | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(lockPath(dataDir), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, port, host } = parsed as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof port !== 'number') return undefined;
    return { pid, port, host: typeof host === 'string' ? host : '127.0.0.1' };
  } catch {
    return undefined;
  }
}

export function acquireLock(dataDir: string): LockResult {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  if (heldHere.has(dataDir))
    return { kind: 'held', owner: readLock(dataDir) ?? { pid: process.pid, port: 0, host: '' } };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, 'wx'));
      writeFileSync(path, JSON.stringify({ pid: process.pid, port: 0, host: '' }));
      heldHere.add(dataDir);
      return { kind: 'acquired', publish: (owner) => writeFileSync(path, JSON.stringify(owner)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readLock(dataDir);
    // A lock still being written (no valid JSON yet) by a live starter is treated as held.
    if (owner && isProcessAlive(owner.pid)) return { kind: 'held', owner };
    if (!owner && attempt === 0 && Date.now() - mtimeOf(path) < 2_000)
      return { kind: 'held', owner: { pid: 0, port: 0, host: '' } };
    try {
      // rename is atomic: of two processes taking over the same stale lock, one wins.
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const owner = readLock(dataDir);
  return { kind: 'held', owner: owner ?? { pid: 0, port: 0, host: '' } };
}

export function releaseLock(dataDir: string): void {
  heldHere.delete(dataDir);
  const owner = readLock(dataDir);
  if (owner && owner.pid !== process.pid) return;
  try {
    unlinkSync(lockPath(dataDir));
  } catch {
    // Already gone: nothing to release.
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
