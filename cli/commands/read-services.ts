import { findRunningServer } from '../../embedded-mongo/ensure-mongo.js';
import { openOfflineReader } from '../../embedded-mongo/read-offline.js';
import { defaultDataDir } from '../../embedded-mongo/start-embedded-mongo.js';
import { databaseInUri, DEFAULT_DB_NAME } from '../../models/database-name.js';
import type { QueueCounter, StatusReader } from '../../producers/gather-status.js';
import { pingRedis } from '../../queue/ensure-redis.js';
import { redisUrl } from '../../queue/connection.js';

/** A MongoDB that does not answer within this is reported as unreachable. */
const SERVER_SELECTION_TIMEOUT_MS = 2_000;

export interface ReadServices {
  /** Null when the database can be neither reached nor read (the notes say why). */
  readonly reader: StatusReader | null;
  /** Null when no Redis answers. */
  readonly queue: QueueCounter | null;
  /** Where the data came from when not from running servers. */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

async function openMongoReader(uri: string): Promise<{ reader: StatusReader; close(): Promise<void> }> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS });
  await client.connect();
  const db = client.db(databaseInUri(uri));
  return {
    reader: {
      aggregate: async <T>(collection: string, pipeline: Record<string, unknown>[]) =>
        (await db.collection(collection).aggregate(pipeline).toArray()) as T[],
    },
    close: () => client.close(),
  };
}

/**
 * What `docq status` and `docq runs` read, without starting anything: MONGODB_URI, else the
 * embedded server when one serves the data directory, else that directory's files read-only;
 * the queue only when a Redis already answers at REDIS_URL (docq's private one included).
 */
export async function openReadServices(): Promise<ReadServices> {
  const notes: string[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  let reader: StatusReader | null = null;
  const fromEnv = process.env['MONGODB_URI'];
  const dataDir = defaultDataDir();
  const running = fromEnv ? undefined : await findRunningServer(dataDir);
  const uri = fromEnv || (running ? `mongodb://${running.host}:${running.port}/${DEFAULT_DB_NAME}` : undefined);
  if (uri !== undefined) {
    try {
      const opened = await openMongoReader(uri);
      reader = opened.reader;
      closers.push(opened.close);
    } catch (error) {
      notes.push(`cannot reach MongoDB at ${uri}: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    const offline = openOfflineReader(dataDir);
    if (typeof offline === 'string') notes.push(`database not running and ${offline}`);
    else {
      notes.push(
        offline.exists
          ? `the database server is not running: read its files in ${dataDir} directly (nothing started)`
          : `nothing stored yet in ${dataDir}: docq ingest <folder> starts`,
      );
      reader = {
        aggregate: async <T>(collection: string, pipeline: Record<string, unknown>[]) =>
          offline.aggregate(DEFAULT_DB_NAME, collection, pipeline) as T[],
      };
      closers.push(() => offline.close());
    }
  }
  let queue: QueueCounter | null = null;
  const url = redisUrl();
  if (await pingRedis(url)) {
    const { createExtractQueue } = await import('../../queue/create-extract-queue.js');
    const extract = createExtractQueue({ url });
    queue = extract;
    closers.push(() => extract.close());
  }
  return {
    reader,
    queue,
    notes,
    close: async () => {
      for (const close of closers) await close();
    },
  };
}
