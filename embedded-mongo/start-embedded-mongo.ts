// Starts the server in this process: opens the data directory (taking its lock), listens on
// TCP, and returns how to reach and stop it.
import { createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import type { CommandContext } from './commands/command-context.js';
import { acquireLock, releaseLock } from './server-lock.js';
import { CursorRegistry } from './query/cursor-registry.js';
import { openStore } from './storage/open-store.js';
import { serveConnection } from './serve-connection.js';

export const DEFAULT_PORT = 27018;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATABASE = 'docq';

export interface EmbeddedMongoOptions {
  dataDir?: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface RunningMongo {
  uri: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export function defaultDataDir(): string {
  return resolve(process.env.DOCQ_DATA_DIR ?? './.docq/db');
}

export function mongoUri(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `mongodb://${shown}:${port}/${DEFAULT_DATABASE}?directConnection=true`;
}

export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<RunningMongo> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir());
  const host = opts.host ?? DEFAULT_HOST;
  const log = opts.log ?? ((line: string) => process.stderr.write(`[docq-mongo] ${line}\n`));
  const lock = acquireLock(dataDir);
  if (lock.kind === 'held')
    throw new Error(
      `data directory ${dataDir} is in use by docq server pid ${lock.owner.pid} on port ${lock.owner.port}`,
    );
  let store;
  try {
    store = openStore(dataDir);
  } catch (error) {
    releaseLock(dataDir);
    throw error;
  }
  const openedStore = store;
  const cursors = new CursorRegistry();
  const sockets = new Set<Socket>();
  const startedAt = new Date();
  let connections = 0;
  let port = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const context: CommandContext = { store: openedStore, cursors, log, connectionId: ++connections, startedAt, port };
    serveConnection(socket, context);
  });
  try {
    port = await new Promise<number>((resolvePort, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? DEFAULT_PORT, host, () => {
        const address = server.address();
        resolvePort(typeof address === 'object' && address ? address.port : 0);
      });
    });
  } catch (error) {
    cursors.close();
    openedStore.close();
    releaseLock(dataDir);
    throw error;
  }
  lock.publish({ pid: process.pid, port, host });
  log(`listening on ${host}:${port}, data in ${dataDir}`);
  let stopped: Promise<void> | undefined;
  return {
    uri: mongoUri(host, port),
    port,
    dataDir,
    stop: () => {
      stopped ??= new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      }).then(() => {
        cursors.close();
        openedStore.close();
        releaseLock(dataDir);
        log(`stopped (port ${port})`);
      });
      return stopped;
    },
  };
}
