import type { Command } from 'commander';
import { PIPELINE_VERSION } from '../../core/version.js';
import { runCrawlWorker } from '../../producers/crawl-worker.js';
import { handleShutdown } from '../../workers/handle-shutdown.js';
import { startExtractWorker } from '../../workers/start-extract-worker.js';
import { openQueueServices } from './queue-services.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Process queued documents (and scheduled crawls) until stopped with Ctrl-C or SIGTERM.')
    .option('--concurrency <n>', 'documents processed at once (one process each)', '1')
    .option('--no-crawls', 'do not run crawl jobs in this worker')
    .action(async (flags: { concurrency: string; crawls: boolean }) => {
      const services = await openQueueServices();
      if (typeof services === 'string') {
        process.stderr.write(`${services}\n`);
        process.exitCode = 2;
        return;
      }
      const concurrency = Math.max(1, Number.parseInt(flags.concurrency, 10) || 1);
      const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const extract = await startExtractWorker({
        mongoUri: services.db.uri,
        redisUrl: services.redis.url,
        concurrency,
        log,
      });
      const crawl = flags.crawls
        ? await runCrawlWorker({
            mongoUri: services.db.uri,
            redisUrl: services.redis.url,
            pipelineVersion: PIPELINE_VERSION,
          })
        : null;
      log(`worker ready: concurrency ${concurrency}, pipeline ${PIPELINE_VERSION}${crawl ? ', crawls on' : ''}`);
      handleShutdown(async () => {
        await Promise.all([extract.close(), crawl?.close()]);
        await services.close();
      }, log);
    });
}
