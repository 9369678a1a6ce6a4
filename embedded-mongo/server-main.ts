// Entry point of the server as its own process (`docq db start`, ensureMongo's child):
//   node dist/embedded-mongo/server-main.js --data-dir <dir> [--port 27018] [--host 127.0.0.1] [--port-fallback]
import { parseArgs } from 'node:util';
import { startEmbeddedMongo, DEFAULT_HOST, DEFAULT_PORT } from './start-embedded-mongo.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      // When the port is taken, listen on an ephemeral one (callers read it from the lock file).
      'port-fallback': { type: 'boolean' },
    },
  });
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} [docq-mongo ${process.pid}] ${line}\n`);
  };
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  const options = { dataDir: values['data-dir'], host: values.host ?? DEFAULT_HOST, log };
  let server;
  try {
    server = await startEmbeddedMongo({ ...options, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !values['port-fallback']) throw error;
    log(`port ${port} is taken; using an ephemeral port`);
    server = await startEmbeddedMongo({ ...options, port: 0 });
  }
  const running = server;
  process.stdout.write(`${running.uri}\n`);
  const shutdown = (signal: string): void => {
    log(`${signal}: stopping`);
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${new Date().toISOString()} [docq-mongo ${process.pid}] failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
