import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { registerCrawlCommands } from '../../cli/commands/crawl-commands.js';
import { createCrawlQueue, type CrawlQueue } from '../../producers/crawl-schedule.js';
import { PIPELINE_VERSION } from '../../core/version.js';
import { runCrawlWorker } from '../../producers/crawl-worker.js';
import { startTestMongo } from '../helpers/mongo.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSite } from './crawl-test-site.js';

const CORPUS_PDF = new URL('../../../shared/corpus/dev/synth-1-0/digital.pdf', import.meta.url).pathname;

/** Runs `docq <args>` in this process and captures what it prints and its exit code. */
async function docq(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  process.exitCode = 0;
  try {
    const program = new Command('docq').exitOverride();
    registerCrawlCommands(program);
    await program.parseAsync(['node', 'docq', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: out.join(''), err: err.join('') };
}

describe('docq crawl add|list|remove|run-now', () => {
  let redis: TestRedis;
  let queue: CrawlQueue;
  const saved = { url: process.env['REDIS_URL'], prefix: process.env['DOCQ_QUEUE_PREFIX'] };

  beforeAll(async () => {
    redis = await startTestRedis();
    process.env['REDIS_URL'] = redis.url;
    process.env['DOCQ_QUEUE_PREFIX'] = redis.prefix;
    queue = createCrawlQueue({ url: redis.url, prefix: redis.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    await redis?.cleanup();
    for (const [key, value] of [
      ['REDIS_URL', saved.url],
      ['DOCQ_QUEUE_PREFIX', saved.prefix],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('adds crawls with --every and --cron, lists them, runs one now, removes them', async () => {
    const daily = await docq(
      'crawl',
      'add',
      'gov',
      '--url',
      'https://www.example.gov.cn/xxgk/ndbg/',
      '--every',
      '1d',
      '--allow',
      '\\.pdf$',
      '--depth',
      '1',
    );
    expect(daily).toMatchObject({ code: 0, err: '' });
    expect(daily.out).toMatch(/^crawl gov: every 1d, next run \d{4}-/);
    const nightly = await docq(
      'crawl',
      'add',
      'city',
      '--url',
      'https://example.org/gk/',
      '--cron',
      '0 3 * * *',
      '--tz',
      'Asia/Shanghai',
      '--max',
      '20',
      '--no-robots',
    );
    expect(nightly.code).toBe(0);

    const list = await docq('crawl', 'list', '--json');
    const crawls = list.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { spec: Record<string, unknown>; schedule: unknown });
    expect(crawls.map((c) => [c.spec['name'], c.schedule])).toEqual([
      ['city', { cron: '0 3 * * *', tz: 'Asia/Shanghai' }],
      ['gov', { every: 86_400_000 }],
    ]);
    expect(crawls[1]?.spec).toMatchObject({
      url: 'https://www.example.gov.cn/xxgk/ndbg/',
      depth: 1,
      max: 200,
      allow: '\\.pdf$',
    });
    expect(crawls[1]?.spec['respectRobots']).toBeUndefined();
    expect(crawls[0]?.spec['respectRobots']).toBe(false);
    expect((await docq('crawl', 'list')).out).toMatch(/city\tcron '0 3 \* \* \*' \(Asia\/Shanghai\)\tnext /);

    const now = await docq('crawl', 'run-now', 'city');
    expect(now.code).toBe(0);
    const jobId = /queued as job (\S+)/.exec(now.out)?.[1];
    expect((await queue.getJob(jobId ?? ''))?.data).toMatchObject({ name: 'city', max: 20, respectRobots: false });

    expect(await docq('crawl', 'remove', 'city')).toMatchObject({ code: 0, out: 'crawl city removed\n' });
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['crawl-gov']);
  });

  it('run-now --wait prints the finished run once a worker has crawled it', async () => {
    // Crawls queued by the previous test point at the internet; this worker must only see its own.
    await queue.drain(true);
    const [mongo, site] = await Promise.all([startTestMongo(), startTestSite(CORPUS_PDF)]);
    const blobDir = await mkdtemp(join(tmpdir(), 'docq-cli-blobs-'));
    const crawler = await runCrawlWorker({
      mongoUri: mongo.uri,
      redisUrl: redis.url,
      prefix: redis.prefix,
      blobDir,
      pipelineVersion: PIPELINE_VERSION,
    });
    try {
      const args = [
        '--url',
        site.url,
        '--cron',
        '0 0 1 1 *',
        '--depth',
        '1',
        '--allow',
        '/reports/a\\.pdf$',
        '--timeout',
        '2000',
      ];
      expect((await docq('crawl', 'add', 'local', ...args)).code).toBe(0);
      const waited = await docq('crawl', 'run-now', 'local', '--wait');
      expect(waited).toMatchObject({ code: 0, err: '' });
      const summary = JSON.parse(waited.out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      expect(summary).toMatchObject({
        queuedNew: 1,
        failed: 0,
        runId: expect.stringMatching(/^crawl-crawl-local-now-/),
      });
      expect((await docq('crawl', 'remove', 'local')).code).toBe(0);

      // A crawl that meets a 404 names the URL and its status, read back from the run record.
      const savedMongo = process.env['MONGODB_URI'];
      process.env['MONGODB_URI'] = mongo.uri;
      onTestFinished(() => {
        if (savedMongo === undefined) delete process.env['MONGODB_URI'];
        else process.env['MONGODB_URI'] = savedMongo;
      });
      const broken = args.map((a) => (a === '/reports/a\\.pdf$' ? '/reports/(a|missing)\\.pdf$' : a));
      expect((await docq('crawl', 'add', 'broken', ...broken)).code).toBe(0);
      const failed = await docq('crawl', 'run-now', 'broken', '--wait');
      expect(failed.code).toBe(0);
      expect(JSON.parse(failed.out.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ failed: 1 });
      expect(failed.err).toContain(`fetch failed: HTTP_404 ${site.url}reports/missing.pdf`);
      expect(failed.err).toMatch(/all of this run's files: docq runs show crawl-crawl-broken-now-/);
      expect((await docq('crawl', 'remove', 'broken')).code).toBe(0);
    } finally {
      await crawler.close();
      await site.close();
      await mongo.cleanup();
      await rm(blobDir, { recursive: true, force: true });
    }
  });

  it('refuses bad input with a one-line error and exit code 2, recording nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['crawl', 'add', 'x', '--url', 'https://example.org/', '--cron', 'nonsense'],
        /BAD_CRAWL: --cron 'nonsense' is not a cron pattern/,
      ],
      [['crawl', 'add', 'x', '--url', 'ftp://example.org/', '--every', '1d'], /BAD_CRAWL: --url must be http or https/],
      [['crawl', 'add', 'x', '--url', 'https://example.org/'], /exactly one of --every/],
      [['crawl', 'add', 'x', '--url', 'https://example.org/', '--every', 'often'], /not a duration/],
      [
        ['crawl', 'add', 'x', '--url', 'https://example.org/', '--every', '1d', '--allow', '(['],
        /--allow is not a valid regular expression/,
      ],
      [['crawl', 'add', 'bad name', '--url', 'https://example.org/', '--every', '1d'], /the name must be/],
      [['crawl', 'remove', 'nope'], /NO_SUCH_CRAWL: no crawl named "nope"/],
      [['crawl', 'run-now', 'nope'], /NO_SUCH_CRAWL/],
    ];
    for (const [args, message] of cases) {
      const result = await docq(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).toMatch(message);
    }
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['crawl-gov']);
  });
});
