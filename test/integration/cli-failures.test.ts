import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { runDocq, type CliResult } from '../helpers/run-docq.js';

const DEV = fileURLToPath(new URL('../../../shared/corpus/dev', import.meta.url));

/**
 * Failures named through the real CLI: an ingest in a fresh folder on the zero-config defaults
 * (the embedded database started and stopped by the ingest itself, a real Redis), then `status`
 * and `runs` reading what it left — without starting any server.
 */
describe('docq ingest / status / runs name every failed file', () => {
  let redis: TestRedis;
  let cwd: string;
  let input: string;
  const env: NodeJS.ProcessEnv = { ...process.env };

  const docq = (...args: string[]): Promise<CliResult> => runDocq(args, { cwd, env });

  beforeAll(async () => {
    redis = await startTestRedis();
    cwd = await mkdtemp(join(tmpdir(), 'docq-cli-failures-'));
    env['REDIS_URL'] = redis.url;
    env['DOCQ_QUEUE_PREFIX'] = redis.prefix;
    // The embedded defaults: the database lives in <cwd>/.docq/db (a real MongoDB gets its own database).
    if (env['MONGODB_URI'])
      env['MONGODB_URI'] = `${env['MONGODB_URI'].replace(/\/[^/]*$/, '')}/docq_cli_${redis.prefix}`;
    delete env['DOCQ_DATA_DIR'];
    input = join(cwd, 'in');
    await mkdir(input);
    await copyFile(join(DEV, 'synth-1-0/digital.pdf'), join(input, 'good.pdf'));
    await writeFile(join(input, 'corrupt.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref');
    await writeFile(join(input, 'empty.pdf'), '');
  }, 60_000);
  afterAll(async () => {
    await redis?.cleanup();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('refuses a missing path with exit 2 and records no run', async () => {
    const missing = await docq('ingest', join(cwd, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`docq ingest: no such file or folder: ${join(cwd, 'nope')}\n`);
    expect((await docq('ingest', '--workers', 'many', input)).code).toBe(2);
    const runs = await docq('runs', '--json');
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  }, 120_000);

  it('ends an ingest with the failed files, how to list them all, and where the results are', async () => {
    const ingest = await docq('ingest', '--workers', '1', input);
    expect(ingest.code).toBe(1);
    const lines = ingest.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run (ingest-\S+) complete: 3 documents · 1 done · 0 need review · 2 failed$/);
    const runId = /^run (\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(ingest.stdout).toContain(`  CORRUPT ${join(input, 'corrupt.pdf')} — `);
    expect(ingest.stdout).toContain(
      `  EMPTY ${join(input, 'empty.pdf')} — the input has zero bytes (stage intake, 1 attempt)`,
    );
    expect(ingest.stdout).toContain(`docq runs show ${runId}`);
    expect(ingest.stdout).toMatch(/docq serve .*http:\/\/127\.0\.0\.1:8080\//);
    expect(ingest.stdout).toContain('docq export --format xlsx');
    expect(ingest.stderr).not.toMatch(/Warning|Detected \d+ diacritics/);

    // status reads what the ingest left, starts nothing, and names each failed file.
    const status = await docq('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('failed documents: 2 (CORRUPT 1 · EMPTY 1)');
    expect(status.stdout).toMatch(
      new RegExp(`  CORRUPT ${join(input, 'corrupt.pdf')} — the PDF cannot be parsed .+ \\(stage open, 1 attempt\\)`),
    );
    expect(status.stdout).toContain(`${runId} ingest complete: 3/3 finished`);
    if (!process.env['MONGODB_URI']) {
      expect(status.stdout).toContain('note: the database server is not running: read its files');
      await expect(stat(join(cwd, '.docq/db/server.lock'))).rejects.toThrow();
    }

    const json = JSON.parse((await docq('status', '--json')).stdout) as {
      documents: Record<string, number>;
      failed: { count: number; top: { source: string; code: string; stage: string; attempts: number }[] };
    };
    expect(json.documents).toMatchObject({ done: 1, failed: 2 });
    expect(json.failed.count).toBe(2);
    expect(json.failed.top.map((f) => [f.source, f.code, f.stage, f.attempts]).sort()).toEqual([
      [join(input, 'corrupt.pdf'), 'CORRUPT', 'open', 1],
      [join(input, 'empty.pdf'), 'EMPTY', 'intake', 1],
    ]);

    const onlyEmpty = await docq('status', '--failed', '--code', 'EMPTY');
    expect(onlyEmpty.stdout.trim().split('\n')).toEqual([
      '1 failed documents with code EMPTY',
      `  EMPTY ${join(input, 'empty.pdf')} — the input has zero bytes (stage intake, 1 attempt)`,
    ]);
    expect((await docq('status', '--code', 'EMPTY')).code).toBe(2);

    const show = await docq('runs', 'show', runId);
    expect(show.code).toBe(0);
    const files = show.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^ {2}failed {7}\S+corrupt\.pdf — CORRUPT: /);
    expect(files.at(-1)).toBe(`  done         ${join(input, 'good.pdf')}`);
    expect((await docq('runs', 'show', 'no-such-run')).code).toBe(2);

    // reprocess says a worker is needed, and with --workers follows the run and names what failed again.
    expect((await docq('reprocess', '--failed', '--workers', '0')).code).toBe(2);
    const followed = await docq('reprocess', '--failed', '--workers', '1');
    expect(followed.code).toBe(1);
    expect(followed.stdout).toMatch(/run reprocess-\S+ complete: 2 documents · 0 done · 0 need review · 2 failed/);
    expect(followed.stdout).toContain(`  EMPTY ${join(input, 'empty.pdf')} — the input has zero bytes`);
    const queuedOnly = await docq('reprocess', '--failed');
    expect(queuedOnly.code).toBe(0);
    expect(queuedOnly.stdout).toMatch(/queued 2 as run (reprocess-\S+)\n.*docq worker.*--workers N.*--wait/s);
  }, 400_000);
});
