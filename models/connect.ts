import mongoose, { type Connection } from 'mongoose';
import { ensureMongo } from '../embedded-mongo/index.js';
import { databaseInUri } from './database-name.js';
import { bindModels, syncIndexes, type Models } from './models.js';

/** What embedded-mongo's `ensureMongo` returns: MONGODB_URI when set, else a running or freshly started embedded server. */
export interface MongoHandle {
  readonly uri: string;
  readonly owned: boolean;
  readonly pid?: number;
  stop(): Promise<void>;
}

/** Fail fast when the server is gone instead of queueing operations for 30 s; BullMQ retries the job. */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

export interface ModelsConnection {
  readonly models: Models;
  readonly uri: string;
  /** The embedded server process this connection started (and stops on close). */
  readonly ownedServerPid?: number;
  /** Closes the connection and stops an embedded server this process started. */
  close(): Promise<void>;
}

async function resolveMongo(opts: { uri?: string; dataDir?: string }): Promise<MongoHandle> {
  const uri = opts.uri ?? process.env['MONGODB_URI'];
  if (uri !== undefined && uri !== '') return { uri, owned: false, stop: async () => undefined };
  return ensureMongo(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {});
}

/**
 * Opens a mongoose connection (its own, not the global default, so tests and workers can hold
 * several) to MONGODB_URI or the embedded server, and makes sure the indexes exist.
 */
export async function connectModels(
  opts: { uri?: string; dataDir?: string; dbName?: string; syncIndexes?: boolean } = {},
): Promise<ModelsConnection> {
  const handle = await resolveMongo(opts);
  const dbName = opts.dbName ?? databaseInUri(handle.uri);
  const connection: Connection = mongoose.createConnection(handle.uri, {
    ...(dbName !== undefined ? { dbName } : {}),
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    autoIndex: false,
  });
  await connection.asPromise();
  const models = bindModels(connection);
  if (opts.syncIndexes !== false) await syncIndexes(models);
  return {
    models,
    uri: handle.uri,
    ...(handle.owned && handle.pid !== undefined ? { ownedServerPid: handle.pid } : {}),
    close: async () => {
      await connection.close();
      if (handle.owned) await handle.stop();
    },
  };
}
