// The server as a separate process: found through its lock file, killed with SIGKILL,
// restarted with every acknowledged write intact; and a client that outlives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient, MongoNetworkError } from 'mongodb';
import { ensureMongo, startEmbeddedMongo } from '../../embedded-mongo/index.js';
import { isProcessAlive, readLock } from '../../embedded-mongo/server-lock.js';
import { usingRealMongo } from './server-harness.js';

const dirs: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `docq-mongo-${label}-`));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 200 && isProcessAlive(pid); i++) await new Promise((done) => setTimeout(done, 50));
}

describe.skipIf(usingRealMongo)('a server in its own process', () => {
  it('is found by a second caller, and keeps acknowledged writes across kill -9', async () => {
    const saved = process.env.MONGODB_URI;
    delete process.env.MONGODB_URI;
    const dataDir = tempDir('crash');
    const first = await ensureMongo({ dataDir, port: 0 });
    try {
      expect(first.owned).toBe(true);
      const second = await ensureMongo({ dataDir, port: 0 });
      expect(second).toMatchObject({ uri: first.uri, owned: false });
      const pid = readLock(dataDir)?.pid ?? 0;
      expect(pid).toBeGreaterThan(0);
      expect(pid).not.toBe(process.pid);

      const client = await new MongoClient(first.uri).connect();
      const col = client.db('docq').collection('crash');
      await col.createIndex({ n: 1 }, { unique: true });
      await col.insertMany(Array.from({ length: 300 }, (_, n) => ({ n })));
      await col.updateMany({ n: { $lt: 100 } }, { $set: { touched: true } });
      await col.deleteMany({ n: { $gte: 250 } });
      await client.close();

      process.kill(pid, 'SIGKILL');
      await waitForExit(pid);
      expect(isProcessAlive(pid)).toBe(false);

      // The stale lock (dead pid) is taken over by a new server on the same data directory.
      const restarted = await ensureMongo({ dataDir, port: 0 });
      expect(restarted.owned).toBe(true);
      const again = await new MongoClient(restarted.uri).connect();
      const after = again.db('docq').collection('crash');
      expect(await after.countDocuments()).toBe(250);
      expect(await after.countDocuments({ touched: true })).toBe(100);
      await expect(after.insertOne({ n: 5 })).rejects.toMatchObject({ code: 11000 });
      await again.close();
      await restarted.stop();
    } finally {
      await first.stop();
      if (saved !== undefined) process.env.MONGODB_URI = saved;
    }
  });

  it('starts one server when two callers race on an empty data directory', async () => {
    const saved = process.env.MONGODB_URI;
    delete process.env.MONGODB_URI;
    const dataDir = tempDir('race');
    const [a, b] = await Promise.all([ensureMongo({ dataDir, port: 0 }), ensureMongo({ dataDir, port: 0 })]);
    try {
      expect(a.uri).toBe(b.uri);
      expect([a.owned, b.owned].filter(Boolean)).toHaveLength(1);
    } finally {
      await a.stop();
      await b.stop();
      if (saved !== undefined) process.env.MONGODB_URI = saved;
    }
  });

  it('returns MONGODB_URI untouched when it is set', async () => {
    const saved = process.env.MONGODB_URI;
    process.env.MONGODB_URI = 'mongodb://example.invalid:27017/docq';
    try {
      expect(await ensureMongo({ dataDir: tempDir('env') })).toMatchObject({
        uri: 'mongodb://example.invalid:27017/docq',
        owned: false,
      });
    } finally {
      if (saved === undefined) delete process.env.MONGODB_URI;
      else process.env.MONGODB_URI = saved;
    }
  });
});

describe.skipIf(usingRealMongo)('restarting an in-process server', () => {
  it('lets a connected client carry on after the server comes back on the same port', async () => {
    const dataDir = tempDir('restart');
    const server = await startEmbeddedMongo({ dataDir, port: 0, log: () => undefined });
    const client = await new MongoClient(server.uri, { serverSelectionTimeoutMS: 10_000 }).connect();
    try {
      const col = client.db('docq').collection('restart');
      await col.insertOne({ before: true });
      await server.stop();
      const back = await startEmbeddedMongo({ dataDir, port: server.port, log: () => undefined });
      try {
        // Reads are retried by the driver across the reconnect; a standalone server (like ours
        // and like a standalone mongod) gets no retryable writes, so the pooled connection's
        // failure surfaces once as a network error and the next write reconnects.
        expect(await col.countDocuments()).toBe(1);
        await col.insertOne({ after: true }).catch((error: unknown) => {
          if (!(error instanceof MongoNetworkError)) throw error;
          return col.insertOne({ after: true });
        });
        expect(await col.countDocuments()).toBe(2);
      } finally {
        await back.stop();
      }
    } finally {
      await client.close();
    }
  });

  it('refuses a second server on a data directory in use', async () => {
    const dataDir = tempDir('twice');
    const server = await startEmbeddedMongo({ dataDir, port: 0, log: () => undefined });
    try {
      await expect(startEmbeddedMongo({ dataDir, port: 0, log: () => undefined })).rejects.toThrow(/in use/);
    } finally {
      await server.stop();
    }
  });
});
