// Entry point of the server as its own process (`docq db start`, ensureMongo's child):
//   node dist/embedded-mongo/server-main.js --data-dir <dir> [--port 27018] [--host 127.0.0.1] [--port-fallback]
//     [--owner <pid>[:<start time>]]
import { parseArgs } from 'node:util';
import { isIdentityAlive, parseIdentity } from './process-identity.js';
import { startEmbeddedMongo, DEFAULT_HOST, DEFAULT_PORT } from './start-embedded-mongo.js';

/** How often an owned server looks whether its owner still lives. */
const OWNER_POLL_MS = 500;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      // When the port is taken, listen on an ephemeral one (callers read it from the lock file).
      'port-fallback': { type: 'boolean' },
      // The docq command that started this server and stops it when it ends: if that command dies
      // without doing so (kill -9, a crash), the server stops itself. Watching from here rather than
      // from a helper process leaves no moment in which the server runs unwatched.
      owner: { type: 'string' },
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
  const owner = values.owner === undefined ? undefined : parseIdentity(values.owner);
  if (owner !== undefined) {
    const watch = setInterval(() => {
      if (isIdentityAlive(owner)) return;
      clearInterval(watch);
      shutdown(`owner ${owner.pid} is gone`);
    }, OWNER_POLL_MS);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${new Date().toISOString()} [docq-mongo ${process.pid}] failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
