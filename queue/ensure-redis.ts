import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { redisUrl } from './connection.js';
import {
  holderOf,
  isLeaseHolderAlive,
  leasePaths,
  readLeaseFile,
  readServerFile,
  withRedisLock,
  type ServerFile,
} from './redis-lease.js';

export interface RedisHandle {
  readonly url: string;
  /** True when this call started docq's private redis-server. */
  readonly owned: boolean;
  /** Data directory of the private redis-server this command holds a lease on (started or joined). */
  readonly privateDir?: string;
  /**
   * Ends this command's use. A private server (started by this or another docq command) is shut
   * down by the last user: every docq command using it holds a lease under its data directory.
   */
  stop(): Promise<void>;
}

export interface RedisUnavailable {
  readonly code: 'REDIS_UNAVAILABLE';
  readonly message: string;
}

/** How long a ping may take before we decide nothing answers. */
const PING_TIMEOUT_MS = 1_500;
/** A fresh redis-server with an empty AOF is up in well under a second; allow slow shared machines. */
const START_TIMEOUT_MS = 10_000;

/** One ping without retries: does a Redis answer at `url`? */
export async function pingRedis(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PING_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    // ioredis keeps a 2 s timer after disconnect by default, which held `docq status` open that long.
    disconnectTimeout: 10,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function waitForPing(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    if (await pingRedis(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** Stops a redis-server that is not our child (it may have been started by another command). */
async function stopServerPid(server: ServerFile): Promise<void> {
  try {
    process.kill(server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (isLeaseHolderAlive(server) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Zero-config Redis: use REDIS_URL when something answers there; otherwise, when Debian's
 * redis-server is installed, start a private one on that URL's port with its data under
 * `dataDir` (noeviction, append-only). The private server outlives the command that started it
 * while other docq commands use it (a lease file each, under `dataDir/leases`); the last one to
 * `stop()` shuts it down. Otherwise a one-line error value.
 */
export async function ensureRedis(
  opts: { url?: string; dataDir?: string } = {},
): Promise<RedisHandle | RedisUnavailable> {
  const url = opts.url ?? redisUrl();
  const parsed = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname);
  const port = parsed.port !== '' ? parsed.port : '6379';
  const dataDir = resolve(opts.dataDir ?? privateRedisDir());
  if (!local) {
    if (await pingRedis(url)) return { url, owned: false, stop: async () => undefined };
    return unavailable(url);
  }
  // Quick path for a Redis docq does not manage (no private server recorded for this directory).
  const recorded = readServerFile(dataDir);
  if (!(recorded && String(recorded.port) === port && isLeaseHolderAlive(recorded)) && (await pingRedis(url)))
    return { url, owned: false, stop: async () => undefined };
  if (!redisServerInstalled() && !(await pingRedis(url))) return unavailable(url);
  await mkdir(leasePaths(dataDir).leases, { recursive: true });
  // Start-or-join and leave-or-stop hold the same lock, so a command joining while the last
  // user is stopping the server waits, then finds nothing answering and starts a new one.
  return withRedisLock(dataDir, async () => {
    const server = readServerFile(dataDir);
    const ours = server !== undefined && String(server.port) === port && isLeaseHolderAlive(server);
    if (await pingRedis(url)) {
      if (!ours) return { url, owned: false, stop: async () => undefined };
      return { url, owned: false, privateDir: dataDir, stop: await takeLease(dataDir) };
    }
    const started = await startPrivateRedis(url, port, dataDir);
    if ('code' in started) return started;
    return { url, owned: true, privateDir: dataDir, stop: await takeLease(dataDir) };
  });
}

function unavailable(url: string): RedisUnavailable {
  return {
    code: 'REDIS_UNAVAILABLE',
    message: `no Redis answers at ${url}: set REDIS_URL, run \`docker compose up -d redis\`, or install Debian's redis-server (apt-get install -y redis-server) and docq starts one itself`,
  };
}

/** Starts redis-server in its own process group (Ctrl-C of the starting command must not reach it) and records it. */
async function startPrivateRedis(url: string, port: string, dataDir: string): Promise<ServerFile | RedisUnavailable> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { stdio: 'ignore', detached: true },
  );
  child.on('error', () => undefined);
  const paths = leasePaths(dataDir);
  // Recorded before it answers, so a command killed while Redis starts leaves it to the reaper.
  const server: ServerFile | undefined =
    child.pid === undefined ? undefined : { ...holderOf(child.pid), port: Number(port) };
  if (server !== undefined) await writeFile(paths.server, JSON.stringify(server));
  if (!(await waitForPing(url, child)) || server === undefined) {
    await stopChild(child);
    await rm(paths.server, { force: true });
    return {
      code: 'REDIS_UNAVAILABLE',
      message: `started redis-server on port ${port} but it did not answer within ${START_TIMEOUT_MS} ms`,
    };
  }
  child.unref();
  return server;
}

/** Records this user; the returned `stop` removes the lease and, when no live lease is left, stops the server. */
async function takeLease(dataDir: string): Promise<() => Promise<void>> {
  const paths = leasePaths(dataDir);
  const file = join(paths.leases, `${process.pid}-${randomUUID()}.json`);
  await writeFile(file, JSON.stringify(holderOf(process.pid)));
  let stopped: Promise<void> | null = null;
  return () => {
    stopped ??= withRedisLock(dataDir, async () => {
      await rm(file, { force: true });
      await stopUnusedServer(dataDir);
    });
    return stopped;
  };
}

/** With the lock held: stops the private server when no living docq command holds a lease on it. */
async function stopUnusedServer(dataDir: string): Promise<void> {
  const paths = leasePaths(dataDir);
  if ((await liveLeases(paths.leases)) > 0) return;
  const server = readServerFile(dataDir);
  if (server !== undefined && isLeaseHolderAlive(server)) await stopServerPid(server);
  await rm(paths.server, { force: true });
}

/**
 * For a command that died without `stop()` (kill -9): drops the leases of dead processes and stops
 * the private server of `dataDir` when nobody alive uses it. Run by the private-server reaper.
 */
export async function releaseDeadLeases(dataDir: string): Promise<void> {
  if (readServerFile(dataDir) === undefined) return;
  await withRedisLock(dataDir, () => stopUnusedServer(dataDir));
}

/** The private Redis data directory for this process's settings (DOCQ_REDIS_DIR, else beside the database). */
export function privateRedisDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['DOCQ_REDIS_DIR'] ?? '.docq/redis');
}

/** Leases of living processes; those of processes that died without `stop()` (kill -9) are removed. */
async function liveLeases(dir: string): Promise<number> {
  let live = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const lease = readLeaseFile(join(dir, name));
    if (lease !== undefined && isLeaseHolderAlive(lease)) live++;
    else await rm(join(dir, name), { force: true });
  }
  return live;
}

export function isRedisUnavailable(value: RedisHandle | RedisUnavailable): value is RedisUnavailable {
  return 'code' in value;
}
