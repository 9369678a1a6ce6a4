import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedMongo, type RunningMongo } from '../../embedded-mongo/index.js';
import { connectModels, type ModelsConnection } from '../../models/index.js';

export interface TestMongo {
  readonly uri: string;
  readonly db: ModelsConnection;
  cleanup(): Promise<void>;
}

/**
 * A database for one test file: MONGODB_URI with a unique database name when set (real MongoDB),
 * else an embedded server on a free port with a temp data directory.
 */
export async function startTestMongo(): Promise<TestMongo> {
  const fromEnv = process.env['MONGODB_URI'];
  let server: RunningMongo | null = null;
  let dir: string | null = null;
  let uri: string;
  const dbName = `docq_test_${Math.random().toString(36).slice(2, 8)}`;
  if (fromEnv !== undefined && fromEnv !== '') {
    uri = fromEnv;
  } else {
    dir = await mkdtemp(join(tmpdir(), 'docq-mongo-'));
    server = await startEmbeddedMongo({ dataDir: dir, port: 0, log: () => undefined });
    uri = server.uri;
  }
  const db = await connectModels({ uri, dbName });
  const dbUri = withDbName(uri, dbName);
  return {
    uri: dbUri,
    db,
    cleanup: async () => {
      if (server === null) await db.models.connection.dropDatabase();
      await db.close();
      await server?.stop();
      if (dir !== null) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The URI with its path set to `dbName`, for processes that connect with the default options. */
function withDbName(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
