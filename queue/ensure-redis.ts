import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { redisUrl } from './connection.js';

export interface RedisHandle {
  readonly url: string;
  /** True when this process started a private redis-server (and `stop` shuts it down). */
  readonly owned: boolean;
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

/**
 * Zero-config Redis: use REDIS_URL when something answers there; otherwise, when Debian's
 * redis-server is installed, start a private one on that URL's port with its data under
 * `dataDir` (noeviction, append-only) and stop it in `stop()`. Otherwise a one-line error value.
 */
export async function ensureRedis(
  opts: { url?: string; dataDir?: string } = {},
): Promise<RedisHandle | RedisUnavailable> {
  const url = opts.url ?? redisUrl();
  if (await pingRedis(url)) return { url, owned: false, stop: async () => undefined };
  const parsed = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(parsed.hostname);
  if (!local || !redisServerInstalled()) {
    return {
      code: 'REDIS_UNAVAILABLE',
      message: `no Redis answers at ${url}: set REDIS_URL, run \`docker compose up -d redis\`, or install Debian's redis-server (apt-get install -y redis-server) and docq starts one itself`,
    };
  }
  const dataDir = resolve(opts.dataDir ?? '.docq/redis');
  await mkdir(dataDir, { recursive: true });
  const port = parsed.port !== '' ? parsed.port : '6379';
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
    { stdio: 'ignore' },
  );
  child.on('error', () => undefined);
  if (!(await waitForPing(url, child))) {
    await stopChild(child);
    return {
      code: 'REDIS_UNAVAILABLE',
      message: `started redis-server on port ${port} but it did not answer within ${START_TIMEOUT_MS} ms`,
    };
  }
  return { url, owned: true, stop: () => stopChild(child) };
}

export function isRedisUnavailable(value: RedisHandle | RedisUnavailable): value is RedisUnavailable {
  return 'code' in value;
}
