// `docq db start|stop|status`: the embedded server as a command-line service.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { findRunningServer, spawnServer, stopServerProcess } from './ensure-mongo.js';
import { isProcessAlive, readLock } from './server-lock.js';
import { defaultDataDir, mongoUri, startEmbeddedMongo, DEFAULT_HOST, DEFAULT_PORT } from './start-embedded-mongo.js';

interface DbOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  foreground?: boolean;
}

/** A detached server normally answers within a second; a loaded machine may need more. */
const START_WAIT_MS = 45_000;
const POLL_MS = 100;

export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('the embedded MongoDB-compatible server (used when MONGODB_URI is unset)');
  const withOptions = (command: Command): Command =>
    command
      .option('--port <port>', `TCP port (default ${DEFAULT_PORT})`)
      .option('--host <host>', `address to listen on (default ${DEFAULT_HOST}, loopback only)`)
      .option('--data-dir <dir>', 'data directory (default $DOCQ_DATA_DIR or ./.docq/db)');

  withOptions(db.command('start'))
    .description('start the server (detached unless --foreground)')
    .option('--foreground', 'run in this process until interrupted')
    .action(async (options: DbOptions) => {
      process.exitCode = await startCommand(options);
    });
  withOptions(db.command('stop'))
    .description('stop the server serving the data directory')
    .action(async (options: DbOptions) => {
      process.exitCode = await stopCommand(options);
    });
  withOptions(db.command('status'))
    .description('show whether a server serves the data directory (exit code 1 if not)')
    .action(async (options: DbOptions) => {
      process.exitCode = await statusCommand(options);
    });
}

function dataDirOf(options: DbOptions): string {
  return resolve(options.dataDir ?? defaultDataDir());
}

function portOf(options: DbOptions): number {
  const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${options.port}`);
  return port;
}

async function startCommand(options: DbOptions): Promise<number> {
  const dataDir = dataDirOf(options);
  const running = await findRunningServer(dataDir);
  if (running) {
    console.log(`already running: pid ${running.pid}, ${mongoUri(running.host, running.port)} (data ${dataDir})`);
    return 0;
  }
  if (options.foreground) {
    const server = await startEmbeddedMongo({ dataDir, port: portOf(options), host: options.host ?? DEFAULT_HOST });
    console.log(`${server.uri} (data ${dataDir}); Ctrl-C to stop`);
    await new Promise<void>((done) => {
      const stop = (): void => void server.stop().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  }
  const child = await spawnServer(dataDir, portOf(options), { host: options.host ?? DEFAULT_HOST, strictPort: true });
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    const owner = await findRunningServer(dataDir);
    if (owner) {
      console.log(
        `started: pid ${owner.pid}, ${mongoUri(owner.host, owner.port)} (data ${dataDir}, log ${dataDir}/server.log)`,
      );
      return 0;
    }
    if (child.exitCode !== null) break;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  console.error(`the server did not start; see ${dataDir}/server.log`);
  return 1;
}

async function stopCommand(options: DbOptions): Promise<number> {
  const dataDir = dataDirOf(options);
  const owner = readLock(dataDir);
  if (!owner || !isProcessAlive(owner.pid)) {
    console.log(`not running (data ${dataDir})`);
    return 0;
  }
  await stopServerProcess(owner.pid);
  if (isProcessAlive(owner.pid)) {
    console.error(`pid ${owner.pid} did not stop`);
    return 1;
  }
  console.log(`stopped pid ${owner.pid} (data ${dataDir})`);
  return 0;
}

async function statusCommand(options: DbOptions): Promise<number> {
  const dataDir = dataDirOf(options);
  const running = await findRunningServer(dataDir);
  if (!running) {
    console.log(`not running (data ${dataDir})`);
    return 1;
  }
  console.log(`running: pid ${running.pid}, ${mongoUri(running.host, running.port)} (data ${dataDir})`);
  return 0;
}
