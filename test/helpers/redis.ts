import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pingRedis } from '../../queue/ensure-redis.js';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** A prefix no other test file uses; `cleanup` deletes its keys. */
  readonly prefix: string;
  /** Kill the server (SIGKILL) and start it again on the same port and data dir (AOF keeps the data). */
  restart(downMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function startServer(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await pingRedis(url)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not start`);
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/**
 * Real Redis for a test file: REDIS_URL when set (shared, so keys are isolated by prefix),
 * else a private redis-server on a free port with a temp data dir.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const fromEnv = process.env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const port = Number(new URL(fromEnv).port || 6379);
    return {
      url: fromEnv,
      port,
      prefix,
      restart: async () => {
        throw new Error('restart needs a private test Redis (unset REDIS_URL)');
      },
      cleanup: async () => {
        const client = new Redis(fromEnv);
        const keys = await client.keys(`${prefix}:*`);
        if (keys.length > 0) await client.del(...keys);
        await client.quit();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'docq-redis-'));
  const port = await freePort();
  let child = await startServer(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    prefix,
    restart: async (downMs = 500) => {
      child.kill('SIGKILL');
      await waitExit(child);
      await new Promise((r) => setTimeout(r, downMs));
      child = await startServer(port, dir);
    },
    cleanup: async () => {
      child.kill('SIGKILL');
      await waitExit(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
