// Reading a data directory while no server serves it: `docq status` must not start a server
// just to report, so it opens the SQLite file read-only and runs the same mingo pipelines the
// server would. Only safe when no server holds the directory (the caller checks the lock).
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, type Document } from 'bson';
import { Aggregator } from 'mingo';
import { DATABASE_FILE } from './storage/open-store.js';

export interface OfflineReader {
  /** Runs an aggregation pipeline over one collection (empty when the collection does not exist). */
  aggregate(db: string, collection: string, pipeline: Document[]): Document[];
  /** False when the directory holds no database yet (every collection reads as empty). */
  readonly exists: boolean;
  close(): void;
}

/** The reader, or a sentence saying why the files cannot be read without a server. */
export function openOfflineReader(dataDir: string): OfflineReader | string {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return { aggregate: () => [], exists: false, close: () => undefined };
  let sql: Database.Database;
  try {
    sql = new Database(file, { readonly: true, fileMustExist: true });
    sql.prepare('SELECT 1 FROM catalog_collections LIMIT 1').all();
  } catch (error) {
    // A server killed with unflushed WAL leaves files a read-only opener cannot replay.
    return `the database files in ${dataDir} cannot be read without starting the server (${error instanceof Error ? error.message : String(error)})`;
  }
  const tableOf = sql.prepare<[string, string], { tbl: string }>(
    'SELECT tbl FROM catalog_collections WHERE db = ? AND name = ?',
  );
  return {
    aggregate(db, collection, pipeline) {
      const table = tableOf.get(db, collection)?.tbl;
      if (table === undefined) return [];
      const rows = sql.prepare<[], { doc: Buffer }>(`SELECT doc FROM ${table} ORDER BY rid`).iterate();
      function* documents(): Generator<Document> {
        for (const row of rows) yield deserialize(row.doc);
      }
      return new Aggregator(pipeline).run(documents()) as Document[];
    },
    exists: true,
    close: () => sql.close(),
  };
}
