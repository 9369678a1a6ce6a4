// Each test file gets a server and a database of its own: the embedded server on an
// ephemeral port with a temporary data directory, or — when MONGODB_URI is set — a real
// MongoDB with a uniquely named database that is dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type RunningMongo } from '../../embedded-mongo/index.js';

export const externalUri = process.env.MONGODB_URI;
/** Tests that need the embedded server itself (kill -9, raw sockets, restarts) skip against real MongoDB. */
export const usingRealMongo = externalUri !== undefined;

export interface Harness {
  readonly uri: string;
  readonly client: MongoClient;
  readonly db: Db;
  /** Lines the embedded server logged (empty against real MongoDB). */
  readonly logs: string[];
  readonly server: RunningMongo | undefined;
  readonly dataDir: string | undefined;
  close(): Promise<void>;
}

export async function openHarness(label: string): Promise<Harness> {
  const logs: string[] = [];
  const dbName = `docq_test_${label}_${process.pid}_${Date.now().toString(36)}`;
  let server: RunningMongo | undefined;
  let dataDir: string | undefined;
  let uri: string;
  if (externalUri) {
    uri = externalUri;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), `docq-mongo-${label}-`));
    server = await startEmbeddedMongo({ dataDir, port: 0, log: (line) => logs.push(line) });
    uri = server.uri;
  }
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db(dbName);
  return {
    uri,
    client,
    db,
    logs,
    server,
    dataDir,
    async close() {
      if (externalUri) await db.dropDatabase();
      await client.close();
      await server?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
