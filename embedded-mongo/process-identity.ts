import { readFileSync } from 'node:fs';

/**
 * A process named by pid and start time (Linux /proc), so a pid the kernel handed to a new process
 * does not pass for the one recorded: the owners of private servers, leases and locks.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat when known. */
  readonly startTime?: string;
}

export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function identify(pid: number): ProcessIdentity {
  const startTime = processStartTime(pid);
  return startTime === null ? { pid } : { pid, startTime };
}

export function isIdentityAlive(holder: ProcessIdentity): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.startTime === undefined) return true;
  const now = processStartTime(holder.pid);
  return now === null || now === holder.startTime;
}

/** `pid` or `pid:startTime`, as passed on a command line. */
export function formatIdentity(holder: ProcessIdentity): string {
  return holder.startTime === undefined ? String(holder.pid) : `${holder.pid}:${holder.startTime}`;
}

export function parseIdentity(text: string): ProcessIdentity | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!match) return undefined;
  return match[2] === undefined ? { pid: Number(match[1]) } : { pid: Number(match[1]), startTime: match[2] };
}
