import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (Linux's USER_HZ). */
const CLK_TCK = 100;

export interface ProcSample {
  readonly pid: number;
  readonly ppid: number;
  readonly cmdline: string;
  /** utime + stime of the process (all its threads), seconds. */
  readonly cpuSeconds: number;
  /** cutime + cstime: its children that ended and were waited for (pdftotext …), seconds. */
  readonly reapedSeconds: number;
  /** Peak resident set (VmHWM), kB. */
  readonly hwmKb: number;
  /** Resident set now (VmRSS), kB. */
  readonly rssKb: number;
}

/** One process from /proc, or null once it is gone. */
export function readProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      pid,
      ppid: Number(fields[1]),
      cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLK_TCK,
      reapedSeconds: (Number(fields[13]) + Number(fields[14])) / CLK_TCK,
      hwmKb: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0),
      rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
    };
  } catch {
    return null;
  }
}

export function allProcs(): ProcSample[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((n) => readProc(Number(n)) ?? []);
}

export interface RoleFigures {
  readonly processes: number;
  /** CPU seconds of all its processes (last reading of each). */
  readonly cpuSeconds: number;
  /** The largest VmHWM of one of its processes, MB. */
  readonly peakRssMb: number;
}

/**
 * Samples a process tree by role until stopped: every process descending from `root`, plus any
 * process `adopt` claims (detached servers that outlive or leave their parent). A process's last
 * reading stands for it once it has ended. Processes of a role in `withChildren` count the CPU of
 * their ended children too (short-lived tools a 1 s sample misses); their living children are then
 * not sampled on their own (they would count twice).
 */
export function meterTree(
  root: number,
  role: (p: ProcSample) => string,
  adopt: (p: ProcSample) => boolean,
  withChildren: ReadonlySet<string>,
  everyMs = 1000,
): {
  sample(): void;
  figures(): Record<string, RoleFigures>;
  /** Resident memory now (MB) of each living process of `role`, as of the last sample. */
  liveRssMb(role: string): number[];
  stop(): Record<string, RoleFigures>;
} {
  const last = new Map<number, { role: string; sample: ProcSample }>();
  let living = new Set<number>();
  const sample = (): void => {
    const procs = allProcs();
    living = new Set(procs.map((p) => p.pid));
    const children = new Map<number, number[]>();
    for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    const inTree = new Set<number>();
    const stack = [root];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      inTree.add(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    for (const p of procs) {
      if (!inTree.has(p.pid) && !adopt(p)) continue;
      if (withChildren.has(last.get(p.ppid)?.role ?? '')) continue;
      const known = last.get(p.pid);
      // A pid's role is decided once (an exec'd nice keeps the pid and becomes node).
      // A process that has ended but not yet been waited for reads no VmHWM: keep the peak seen.
      const sample = { ...p, hwmKb: Math.max(p.hwmKb, known?.sample.hwmKb ?? 0) };
      last.set(p.pid, { role: known?.role === 'other' || !known ? role(p) : known.role, sample });
    }
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    sample,
    figures,
    liveRssMb: (r) =>
      [...last.values()]
        .filter((e) => e.role === r && living.has(e.sample.pid))
        .map((e) => Math.round(e.sample.rssKb / 1024)),
    stop: () => {
      clearInterval(timer);
      sample();
      return figures();
    },
  };

  function figures(): Record<string, RoleFigures> {
    const out: Record<string, { processes: number; cpuSeconds: number; peakRssMb: number }> = {};
    for (const { role: r, sample: s } of last.values()) {
      const f = (out[r] ??= { processes: 0, cpuSeconds: 0, peakRssMb: 0 });
      f.processes++;
      const own = s.cpuSeconds + (withChildren.has(r) ? s.reapedSeconds : 0);
      f.cpuSeconds = Math.round((f.cpuSeconds + own) * 100) / 100;
      f.peakRssMb = Math.max(f.peakRssMb, Math.round(s.hwmKb / 1024));
    }
    return out;
  }
}
