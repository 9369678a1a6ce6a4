import { QueueEvents } from 'bullmq';
import type { Command } from 'commander';
import { CronExpressionParser } from 'cron-parser';
import { connectionOptions } from '../../queue/connection.js';
import { ensureRedis, isRedisUnavailable } from '../../queue/ensure-redis.js';
import { CRAWL_QUEUE, queuePrefix } from '../../queue/names.js';
import {
  addCrawl,
  createCrawlQueue,
  listCrawls,
  parseCrawlSpec,
  parseEvery,
  removeCrawl,
  runCrawlNow,
  type CrawlError,
  type CrawlInfo,
  type CrawlQueue,
  type CrawlSchedule,
} from '../../producers/crawl-schedule.js';

interface AddFlags {
  url: string;
  every?: string;
  cron?: string;
  tz?: string;
  depth?: string;
  max?: string;
  allow?: string;
  minInterval?: string;
  timeout?: string;
  maxBytes?: string;
  robots: boolean;
}

/** `docq crawl add|list|remove|run-now`: crawls live in Redis as BullMQ job schedulers. */
export function registerCrawlCommands(program: Command): void {
  const crawl = program.command('crawl').description('Scheduled crawls of web pages where reports are published.');

  crawl
    .command('add')
    .description(
      'Add or update a crawl: fetch the page on a schedule, follow links to PDFs and images, queue what is new or changed.',
    )
    .argument('<name>', 'a name for the crawl (letters, digits, . _ -)')
    .requiredOption('--url <url>', 'the index page to start from')
    .option('--every <duration>', 'interval such as 30m, 6h, 1d')
    .option('--cron <pattern>', "cron pattern such as '0 3 * * *' (instead of --every)")
    .option('--tz <zone>', 'time zone for --cron, e.g. Asia/Shanghai')
    .option('--depth <n>', 'link hops followed from the index page', '2')
    .option('--max <n>', 'most documents fetched per run', '200')
    .option('--allow <regex>', 'only documents whose URL matches this regular expression')
    .option('--min-interval <ms>', 'smallest gap between two requests to one host', '1000')
    .option('--timeout <ms>', 'time limit per request (headers and body)', '60000')
    .option('--max-bytes <n>', 'largest download accepted', String(200 * 1024 * 1024))
    .option('--no-robots', 'ignore robots.txt (only for sites you run or have permission to crawl)')
    .action(async (name: string, flags: AddFlags) => {
      // Arguments are checked before Redis is touched: a bad one records nothing.
      const schedule = parseSchedule(flags);
      if ('code' in schedule) {
        process.exitCode = fail(schedule);
        return;
      }
      process.exitCode = await withQueue(async (queue) => {
        const spec = parseCrawlSpec({
          name,
          url: flags.url,
          depth: flags.depth,
          max: flags.max,
          allow: flags.allow,
          minIntervalMs: flags.minInterval,
          timeoutMs: flags.timeout,
          maxBytes: flags.maxBytes,
          respectRobots: flags.robots,
        });
        if ('code' in spec) return fail(spec);
        const added = await addCrawl(queue, spec, schedule);
        if ('code' in added) return fail(added);
        out(`crawl ${name}: ${describeSchedule(added.schedule)}, next run ${formatTime(added.next)}`);
        return 0;
      });
    });

  crawl
    .command('list')
    .description('List the crawls with their schedules and next run.')
    .option('--json', 'one JSON object per crawl, one per line')
    .action(async (flags: { json?: boolean }) => {
      process.exitCode = await withQueue(async (queue) => {
        const crawls = await listCrawls(queue);
        if (flags.json) for (const c of crawls) out(JSON.stringify(c));
        else if (crawls.length === 0) out('no crawls (add one with `docq crawl add <name> --url … --every 1d`)');
        else for (const c of crawls) out(describeCrawl(c));
        return 0;
      });
    });

  crawl
    .command('remove')
    .description('Remove a crawl (its schedule; documents already queued stay queued).')
    .argument('<name>')
    .action(async (name: string) => {
      process.exitCode = await withQueue(async (queue) => {
        const removed = await removeCrawl(queue, name);
        if (removed !== true) return fail(removed);
        out(`crawl ${name} removed`);
        return 0;
      });
    });

  crawl
    .command('run-now')
    .description('Queue one run of a crawl now, outside its schedule.')
    .argument('<name>')
    .option('--wait', 'wait for a worker to finish the run and print its summary')
    .action(async (name: string, flags: { wait?: boolean }) => {
      process.exitCode = await withQueue(async (queue, url) => {
        const jobId = await runCrawlNow(queue, name);
        if (typeof jobId !== 'string') return fail(jobId);
        out(`crawl ${name}: queued as job ${jobId}${flags.wait ? '; waiting for a worker (docq worker)…' : ''}`);
        if (!flags.wait) return 0;
        const events = new QueueEvents(CRAWL_QUEUE, { connection: connectionOptions(url), prefix: queuePrefix() });
        try {
          const job = await queue.getJob(jobId);
          if (job === undefined) return fail({ code: 'NO_SUCH_CRAWL', message: `job ${jobId} vanished` });
          const result = (await job.waitUntilFinished(events)) as { runId?: string; failed?: number };
          out(JSON.stringify(result));
          if (result.runId !== undefined && (result.failed ?? 0) > 0) await describeFetchFailures(result.runId);
          return 0;
        } catch (error) {
          err(`crawl ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
          return 1;
        } finally {
          await events.close();
        }
      });
    });
}

/** Names each URL that could not be fetched, with its HTTP status or network error (stored on the run). */
async function describeFetchFailures(runId: string): Promise<void> {
  const { withReader } = await import('./status-command.js');
  await withReader(async (reader) => {
    const [run] = await reader.aggregate<{ fetchFailures: { url?: string; code?: string; reason: string }[] }>(
      'ingest_runs',
      [{ $match: { runId } }, { $project: { fetchFailures: 1 } }],
    );
    for (const f of run?.fetchFailures ?? []) err(`fetch failed: ${f.code ?? '?'} ${f.url ?? ''} — ${f.reason}`);
    err(`all of this run's files: docq runs show ${runId}`);
  });
}

/** Connects (or starts docq's private Redis), runs `body`, and always closes what it opened. */
async function withQueue(body: (queue: CrawlQueue, url: string) => Promise<number>): Promise<number> {
  const redis = await ensureRedis();
  if (isRedisUnavailable(redis)) {
    err(redis.message);
    return 1;
  }
  const queue = createCrawlQueue({ url: redis.url });
  try {
    return await body(queue, redis.url);
  } finally {
    await queue.close();
    await redis.stop();
  }
}

function parseSchedule(flags: AddFlags): CrawlSchedule | CrawlError {
  if ((flags.every === undefined) === (flags.cron === undefined)) {
    return { code: 'BAD_CRAWL', message: 'give exactly one of --every <duration> or --cron <pattern>' };
  }
  if (flags.cron !== undefined) {
    try {
      CronExpressionParser.parse(flags.cron, flags.tz !== undefined ? { tz: flags.tz } : {});
    } catch (error) {
      return {
        code: 'BAD_CRAWL',
        message: `--cron '${flags.cron}' is not a cron pattern (minute hour day-of-month month day-of-week, e.g. '0 3 * * *'): ${(error as Error).message}`,
      };
    }
    return { cron: flags.cron, ...(flags.tz !== undefined ? { tz: flags.tz } : {}) };
  }
  const every = parseEvery(flags.every ?? '');
  return typeof every === 'number' ? { every } : every;
}

export function describeSchedule(schedule: CrawlSchedule): string {
  if ('cron' in schedule) return `cron '${schedule.cron}'${schedule.tz !== undefined ? ` (${schedule.tz})` : ''}`;
  const units: Array<[string, number]> = [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  const unit = units.find(([, ms]) => schedule.every % ms === 0);
  return unit === undefined ? `every ${schedule.every}ms` : `every ${schedule.every / unit[1]}${unit[0]}`;
}

function describeCrawl(c: CrawlInfo): string {
  const allow = c.spec.allow !== undefined ? `, allow /${c.spec.allow}/` : '';
  const limits = `depth ${c.spec.depth}, max ${c.spec.max}${allow}${c.spec.respectRobots === false ? ', ignores robots.txt' : ''}`;
  return `${c.spec.name}\t${describeSchedule(c.schedule)}\tnext ${formatTime(c.next)}\tticks ${c.ticks}\t${c.spec.url}\t(${limits})`;
}

function formatTime(ms: number | null): string {
  return ms === null ? 'unknown' : new Date(ms).toISOString();
}

/** Both codes are the caller's mistake (a bad argument, a crawl that does not exist): exit 2, like every docq command. */
function fail(error: CrawlError): number {
  err(`${error.code}: ${error.message}`);
  return 2;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function err(line: string): void {
  process.stderr.write(`${line}\n`);
}
