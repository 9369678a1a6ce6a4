import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (Linux's USER_HZ). */
const CLOCK_TICKS = 100;

/** CPU of reaped child processes (/proc/self/stat cutime + cstime), ms; 0 where /proc is missing. */
function childrenMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * User + system CPU milliseconds of this process (worker threads included) and of its finished
 * children (the native tesseract runs of the prose pass): what a page costs the machine.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000 + childrenMs();
}
