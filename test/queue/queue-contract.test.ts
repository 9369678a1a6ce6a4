import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  checkEvictionPolicy,
  createExtractQueue,
  documentJobId,
  ensureRedis,
  isRedisUnavailable,
  JOB_NAMES,
  parseDocumentJobData,
  parsePagesJobData,
  reprocessJobId,
} from '../../queue/index.js';
import { freePort, startTestRedis, type TestRedis } from '../helpers/redis.js';

const SHA = 'a'.repeat(64);

describe('job ids and data', () => {
  it('derives ids from hash and pipeline version, valid for BullMQ', () => {
    expect(documentJobId(SHA, '1.2.0')).toBe(`doc-${SHA}-1.2.0`);
    expect(documentJobId(SHA, 'a:b c')).toBe(`doc-${SHA}-a_b_c`);
    expect(reprocessJobId(SHA, '1', 'run:7')).toBe(`re-${SHA}-1-run_7`);
  });

  it('rejects payloads without hash, path or run', () => {
    expect(parseDocumentJobData({ sha256: 'xyz', path: '/a', runId: 'r', pipelineVersion: '1' })).toMatchObject({
      code: 'BAD_JOB_DATA',
    });
    expect(parseDocumentJobData({ sha256: SHA, runId: 'r', pipelineVersion: '1' })).toMatchObject({
      code: 'BAD_JOB_DATA',
    });
    expect(parseDocumentJobData({ sha256: SHA, path: '/a', runId: 'r', pipelineVersion: '1' })).toEqual({
      sha256: SHA,
      path: '/a',
      runId: 'r',
      pipelineVersion: '1',
      step: 'extract',
    });
    expect(
      parsePagesJobData({ sha256: SHA, path: '/a', runId: 'r', pipelineVersion: '1', from: 3, to: 2 }),
    ).toMatchObject({ code: 'BAD_JOB_DATA' });
    expect(
      parsePagesJobData({ sha256: SHA, path: '/a', runId: 'r', pipelineVersion: '1', from: 2, to: 3 }),
    ).toMatchObject({ from: 2, to: 3 });
  });
});

describe('queue against real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.cleanup();
  });

  it('queues the same file twice as one job', async () => {
    const queue = createExtractQueue({ url: redis.url, prefix: redis.prefix });
    const data = { sha256: SHA, path: '/tmp/x.pdf', runId: 'r1', pipelineVersion: '1' };
    const jobs = await queue.addBulk([
      { name: JOB_NAMES.document, data, opts: { jobId: documentJobId(SHA, '1') } },
      { name: JOB_NAMES.document, data: { ...data, runId: 'r2' }, opts: { jobId: documentJobId(SHA, '1') } },
    ]);
    expect(jobs[0]?.id).toBe(jobs[1]?.id);
    expect(await queue.getWaitingCount()).toBe(1);
    const job = await queue.getJob(documentJobId(SHA, '1'));
    expect(job?.opts.attempts).toBe(5);
    expect(job?.opts.backoff).toMatchObject({ type: 'exponential', jitter: 0.5 });
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('warns unless maxmemory-policy is noeviction', async () => {
    const client = new Redis(redis.url);
    expect(await checkEvictionPolicy(client)).toBeNull();
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    expect(await checkEvictionPolicy(client)).toMatch(/allkeys-lru/);
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await client.quit();
  });

  it('ensureRedis reuses a running server and starts a private one when nothing answers', async () => {
    const existing = await ensureRedis({ url: redis.url });
    expect(isRedisUnavailable(existing)).toBe(false);
    if (!isRedisUnavailable(existing)) expect(existing.owned).toBe(false);

    const port = await freePort();
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'docq-ensure-'));
    const handle = await ensureRedis({ url: `redis://127.0.0.1:${port}`, dataDir: dir });
    if (isRedisUnavailable(handle)) throw new Error(handle.message);
    expect(handle.owned).toBe(true);
    const client = new Redis(handle.url);
    expect(await checkEvictionPolicy(client)).toBeNull();
    expect(await client.call('CONFIG', 'GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    await client.quit();
    await handle.stop();
    await rm(dir, { recursive: true, force: true });

    const remote = await ensureRedis({ url: 'redis://203.0.113.1:6379' });
    expect(remote).toMatchObject({ code: 'REDIS_UNAVAILABLE' });
  });
});
