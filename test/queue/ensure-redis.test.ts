import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRedis, isRedisUnavailable, pingRedis, type RedisHandle } from '../../queue/ensure-redis.js';
import { freePort } from '../helpers/redis.js';

const USER = fileURLToPath(new URL('./fixtures/redis-user.ts', import.meta.url));

/** Another docq command: a process that takes the private Redis and holds it until told to stop. */
function startUser(url: string, dataDir: string): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', USER, url, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready') || l.startsWith('unavailable'));
      if (line !== undefined) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`redis user exited (${code}) before ready: ${out}`)));
  });
  return { child, ready };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function fixture(): Promise<{ url: string; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'docq-redis-lease-'));
  dirs.push(dataDir);
  return { url: `redis://127.0.0.1:${await freePort()}`, dataDir };
}

const dirs: string[] = [];
const handles: RedisHandle[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exited(child);
  }
  for (const handle of handles.splice(0)) await handle.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function take(url: string, dataDir: string): Promise<RedisHandle> {
  const handle = await ensureRedis({ url, dataDir });
  if (isRedisUnavailable(handle)) throw new Error(handle.message);
  handles.push(handle);
  return handle;
}

describe('the private Redis is shared by the docq commands using it', () => {
  it('stays up when the command that started it ends while another uses it; the last user stops it', async () => {
    const { url, dataDir } = await fixture();
    const first = await take(url, dataDir);
    expect(first.owned).toBe(true);
    const other = startUser(url, dataDir);
    children.push(other.child);
    expect(await other.ready).toBe('ready owned=false');

    await first.stop();
    expect(await pingRedis(url)).toBe(true);

    other.child.kill('SIGTERM');
    await exited(other.child);
    expect(await pingRedis(url)).toBe(false);
    expect(await readdir(join(dataDir, 'leases'))).toEqual([]);
  });

  it('survives the death (kill -9) of the command that started it, and a dead user does not keep it running', async () => {
    const { url, dataDir } = await fixture();
    const starter = startUser(url, dataDir);
    children.push(starter.child);
    expect(await starter.ready).toBe('ready owned=true');
    const second = await take(url, dataDir);
    expect(second.owned).toBe(false);

    starter.child.kill('SIGKILL');
    await exited(starter.child);
    expect(await pingRedis(url)).toBe(true);

    // The starter's lease is stale (its pid is gone): the remaining user is the last one.
    await second.stop();
    expect(await pingRedis(url)).toBe(false);
    expect(await readdir(join(dataDir, 'leases'))).toEqual([]);
  });

  it('starts a new one for a command that comes after the last user stopped it', async () => {
    const { url, dataDir } = await fixture();
    const a = await take(url, dataDir);
    const b = await take(url, dataDir);
    expect([a.owned, b.owned]).toEqual([true, false]);
    await Promise.all([a.stop(), b.stop()]);
    expect(await pingRedis(url)).toBe(false);
    const c = await take(url, dataDir);
    expect(c.owned).toBe(true);
    expect(await pingRedis(url)).toBe(true);
    await c.stop();
    expect(await pingRedis(url)).toBe(false);
  });

  it('never stops a Redis docq did not start', async () => {
    const { url, dataDir } = await fixture();
    const owner = await take(url, join(dataDir, 'owner'));
    const guest = await take(url, join(dataDir, 'guest'));
    expect(guest.owned).toBe(false);
    await guest.stop();
    expect(await pingRedis(url)).toBe(true);
    await owner.stop();
  });
});
