import type { Command } from 'commander';
import { resolve } from 'node:path';
import { isLoopback } from '../../api/auth.js';
import { buildApi } from '../../api/build-api.js';
import { defaultBlobDir } from '../../producers/store-blob.js';
import { openQueueServices } from './queue-services.js';

/** How long a shutdown waits for open requests before closing the services anyway. */
const SHUTDOWN_MS = 5_000;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'HTTP API and the review page (flagged cells, corrections, closing a review) on the same Redis and MongoDB.',
    )
    .option('--port <n>', 'port to listen on', '8080')
    .option(
      '--host <addr>',
      'address to bind (0.0.0.0 to serve other machines: reads then need a token too)',
      '127.0.0.1',
    )
    .option(
      '--public-host <name>',
      'a name clients use to reach this server (Host header), besides localhost; repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--cache-dir <dir>', 'rendered page images and crops', '.docq/review-cache')
    .action(async (opts: { port: string; host: string; publicHost: string[]; cacheDir: string }) => {
      const port = Number.parseInt(opts.port, 10);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        process.stderr.write(`--port must be a port number, not ${opts.port}\n`);
        process.exitCode = 2;
        return;
      }
      const services = await openQueueServices();
      if (typeof services === 'string') {
        process.stderr.write(`${services}\n`);
        process.exitCode = 2;
        return;
      }
      await services.db.models.User.createIndexes();
      const app = buildApi({
        models: services.db.models,
        queue: services.queue,
        readsNeedToken: !isLoopback(opts.host),
        publicHosts: opts.publicHost,
        images: { cacheDir: resolve(opts.cacheDir), blobDir: defaultBlobDir() },
      });
      try {
        const address = await app.listen({ port, host: opts.host });
        process.stdout.write(`docq serve: review page and API at ${address}/ (Ctrl-C to stop)\n`);
      } catch (error) {
        process.stderr.write(
          `cannot listen on ${opts.host}:${port}: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        await services.close();
        process.exitCode = 2;
        return;
      }
      await new Promise<void>((resolve) => {
        let stopping = false;
        // Handlers stay installed: a second Ctrl-C (or a supervisor forwarding the signal) must not
        // kill the process before the services close and the private Redis lease is released.
        const stop = (): void => {
          if (stopping) return;
          stopping = true;
          const timer = setTimeout(resolve, SHUTDOWN_MS);
          void app.close().finally(() => {
            clearTimeout(timer);
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await services.close();
    });
}
