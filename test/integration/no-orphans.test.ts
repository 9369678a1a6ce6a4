import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bombContent, pagesPdf } from '../../bench/fuzz/traps.js';

const CLI = fileURLToPath(new URL('../../cli/docq.ts', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** pid → parent pid and command line of every process, from /proc. */
async function processTable(): Promise<Map<number, { ppid: number; cmd: string }>> {
  const table = new Map<number, { ppid: number; cmd: string }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = (await readFile(`/proc/${name}/cmdline`, 'utf8')).replace(/\0/g, ' ');
      table.set(Number(name), { ppid, cmd });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

function descendants(table: Map<number, { ppid: number }>, root: number): number[] {
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, p] of table) {
      if (p.ppid !== pid) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Alive and not a zombie (a zombie has ended; only its parent has not collected it yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => Promise<boolean> | boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kill -9 of an ingest leaves no process behind', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docq-orphans-'));
    await mkdir(join(dir, 'in'));
    // A page pdf.js parses for minutes: the job process is busy when its ingest dies.
    await writeFile(join(dir, 'in', 'slow.pdf'), pagesPdf([bombContent(200)]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'the job process, the private Redis and the embedded server all end (checked by pid)',
    { timeout: 330_000 },
    async () => {
      const redisPort = await freePort();
      const env: Record<string, string | undefined> = {
        ...process.env,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        DOCQ_DATA_DIR: join(dir, 'db'),
        DOCQ_REDIS_DIR: join(dir, 'redis'),
        DOCQ_PAGE_TIMEOUT_MS: '600000',
        DOCQ_QUEUE_PREFIX: undefined,
        MONGODB_URI: undefined,
      };
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'ingest', '--workers', '1', join(dir, 'in')], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const output: string[] = [];
      child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
      child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
      const ingest = child.pid ?? 0;

      // Wait for the job process, both servers and the reaper.
      let watched: number[] = [];
      try {
        await until(
          async () => {
            const table = await processTable();
            const mine = descendants(table, ingest);
            // BullMQ's forked child runs its main.js. A child caught between fork and exec still shows the
            // ingest's own command line, so "any other child" would let the kill land before the reaper starts.
            const jobs = mine.filter((pid) => /bullmq\/dist\/\w+\/classes\/main\.js/.test(table.get(pid)?.cmd ?? ''));
            const reapers = [...table].filter(
              ([, p]) => p.cmd.includes('private-server-reaper') && p.cmd.includes(dir),
            );
            // redis-server renames itself `redis-server 127.0.0.1:<port>`; the embedded server names its data directory.
            const servers = [...table].filter(
              ([, p]) =>
                p.cmd.startsWith(`redis-server 127.0.0.1:${redisPort}`) ||
                (p.cmd.includes('server-main') && p.cmd.includes(dir)),
            );
            watched = [...jobs, ...servers.map(([pid]) => pid)];
            return jobs.length >= 1 && servers.length >= 2 && reapers.length >= 1;
          },
          120_000,
          () => output.join(''),
        );
        process.kill(ingest, 'SIGKILL');
        await until(
          () => watched.every((pid) => !alive(pid)),
          // The promise is that nothing is left, not a speed: beside a full suite on two cores the reaper's
          // polls and the servers' shutdown took over a minute once.
          150_000,
          () => `still alive: ${watched.filter(alive).join(', ')}`,
        );
        expect(watched.filter(alive)).toEqual([]);
        expect(watched.length).toBeGreaterThanOrEqual(3);
      } finally {
        // Whatever failed above, nothing this test started may outlive it.
        for (const pid of [ingest, ...watched]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    },
  );
});

describe('kill -9 of a command in the moment its servers start leaves nothing behind', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docq-orphans-early-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The moments a command is most exposed: a server exists, nothing of the command's clean-up has run.
  const moments = [
    { name: 'the private Redis has just started', server: 'redis' },
    { name: 'the embedded server has just started', server: 'mongo' },
  ] as const;
  for (const moment of moments)
    it(`when ${moment.name}, both servers end (checked by pid)`, { timeout: 240_000 }, async () => {
      const run = join(dir, moment.server);
      await mkdir(join(run, 'in'), { recursive: true });
      await writeFile(join(run, 'in', 'empty.pdf'), '');
      const redisPort = await freePort();
      const env: Record<string, string | undefined> = {
        ...process.env,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        DOCQ_DATA_DIR: join(run, 'db'),
        DOCQ_REDIS_DIR: join(run, 'redis'),
        DOCQ_QUEUE_PREFIX: undefined,
        MONGODB_URI: undefined,
      };
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'ingest', join(run, 'in')], {
        env,
        stdio: 'ignore',
        detached: true,
      });
      const command = child.pid ?? 0;
      const isRedis = (cmd: string): boolean => cmd.startsWith('redis-server') && cmd.includes(String(redisPort));
      const isMongo = (cmd: string): boolean => cmd.includes('server-main') && cmd.includes(run);
      const servers = new Set<number>();
      try {
        // Polled as fast as /proc can be read: the kill lands within milliseconds of the server's start.
        const deadline = Date.now() + 120_000;
        for (;;) {
          const table = await processTable();
          for (const [pid, p] of table) if (isRedis(p.cmd) || isMongo(p.cmd)) servers.add(pid);
          const started = [...servers].some((pid) =>
            (moment.server === 'redis' ? isRedis : isMongo)(table.get(pid)?.cmd ?? ''),
          );
          if (started) break;
          if (!alive(command) || Date.now() > deadline) throw new Error(`no ${moment.server} server appeared`);
        }
        process.kill(command, 'SIGKILL');
        // A server the command had started a moment before may only now show its own command line.
        await new Promise((r) => setTimeout(r, 2_000));
        for (const [pid, p] of await processTable()) if (isRedis(p.cmd) || isMongo(p.cmd)) servers.add(pid);
        await until(
          () => [...servers].every((pid) => !alive(pid)),
          150_000,
          () => `still alive: ${[...servers].filter(alive).join(', ')}`,
        );
        expect([...servers].filter(alive)).toEqual([]);
        expect(servers.size).toBeGreaterThanOrEqual(1);
      } finally {
        for (const pid of [command, ...servers]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    });
});
