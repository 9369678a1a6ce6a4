// The SQLite file behind the server: a catalog of collections and indexes, one table per
// collection (rid → BSON blob, with a unique canonical _id key) and one table per secondary
// index ((key, rid) rows, UNIQUE on key for unique indexes). WAL mode: a committed
// transaction is in the log before the reply is sent, so it survives kill -9 of the server.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'bson';
import type { IndexInfo, IndexSpec } from './index-spec.js';

export const DATABASE_FILE = 'docq-embedded.sqlite';
/** How long a second opener of the same file waits for the lock before failing. */
const BUSY_TIMEOUT_MS = 1_000;
/**
 * WAL pages before a checkpoint copies them into the database file (SQLite's default: 1000).
 * An upsert of a report appends ~9 pages, several of them hot index pages written again and
 * again: checkpointing every ~1,100 upserts instead of every ~110 copies those once and does the
 * checkpoint's fsync a tenth as often. The WAL file grows to ~40 MB (and is replayed on open).
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** Page cache per connection, in KiB (negative = KiB in SQLite): bounded, the OS caches the rest. */
const CACHE_SIZE_KIB = 32_768;

export interface CollectionHandle {
  readonly db: string;
  readonly name: string;
  /** SQLite table of the documents. */
  readonly table: string;
  readonly options: Record<string, unknown>;
  indexes: IndexInfo[];
}

export interface Store {
  readonly sql: Database.Database;
  readonly dataDir: string;
  readonly collections: Map<string, CollectionHandle>;
  nextTableId(): number;
  /** A cached prepared statement; the cache is cleared when tables are dropped or renamed. */
  prepare(text: string): Database.Statement;
  forgetStatements(): void;
  close(): void;
}

export function namespaceOf(db: string, name: string): string {
  return `${db}.${name}`;
}

export function openStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const sql = new Database(join(dataDir, DATABASE_FILE));
  // One server per data directory: the file stays locked by this process until it exits
  // (set before WAL so the WAL index lives in process memory, not a shared-memory file).
  sql.pragma('locking_mode = EXCLUSIVE');
  sql.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: commits reach the OS before we reply (kill -9 safe); an OS crash or
  // power loss may drop the last transactions. DOCQ_DB_SYNC=full fsyncs every commit.
  sql.pragma(process.env.DOCQ_DB_SYNC === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  sql.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sql.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  sql.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
  sql.exec(`
    CREATE TABLE IF NOT EXISTS catalog_collections (
      db TEXT NOT NULL, name TEXT NOT NULL, tbl TEXT NOT NULL UNIQUE, options BLOB NOT NULL,
      PRIMARY KEY (db, name));
    CREATE TABLE IF NOT EXISTS catalog_indexes (
      db TEXT NOT NULL, coll TEXT NOT NULL, name TEXT NOT NULL, tbl TEXT NOT NULL UNIQUE, spec BLOB NOT NULL,
      PRIMARY KEY (db, coll, name));
    CREATE TABLE IF NOT EXISTS catalog_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
    INSERT OR IGNORE INTO catalog_meta (k, v) VALUES ('next_table', 1);
  `);
  const collections = loadCatalog(sql);
  const bump = sql.prepare<[], { v: number }>(
    "UPDATE catalog_meta SET v = v + 1 WHERE k = 'next_table' RETURNING v - 1 AS v",
  );
  const statements = new Map<string, Database.Statement>();
  return {
    sql,
    dataDir,
    collections,
    nextTableId: () => bump.get()?.v ?? 0,
    prepare: (text) => {
      let statement = statements.get(text);
      if (!statement) {
        statement = sql.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
    forgetStatements: () => statements.clear(),
    close: () => sql.close(),
  };
}

function loadCatalog(sql: Database.Database): Map<string, CollectionHandle> {
  const collections = new Map<string, CollectionHandle>();
  const rows = sql
    .prepare<[], { db: string; name: string; tbl: string; options: Buffer }>(
      'SELECT db, name, tbl, options FROM catalog_collections',
    )
    .all();
  for (const row of rows) {
    collections.set(namespaceOf(row.db, row.name), {
      db: row.db,
      name: row.name,
      table: row.tbl,
      options: deserialize(row.options),
      indexes: [],
    });
  }
  const indexRows = sql
    .prepare<[], { db: string; coll: string; tbl: string; spec: Buffer }>(
      'SELECT db, coll, tbl, spec FROM catalog_indexes ORDER BY rowid',
    )
    .all();
  for (const row of indexRows) {
    const handle = collections.get(namespaceOf(row.db, row.coll));
    if (!handle) continue;
    const spec = deserialize(row.spec) as IndexSpec;
    handle.indexes.push({ spec, fields: Object.keys(spec.key), table: row.tbl });
  }
  return collections;
}

export function serializeOptions(options: Record<string, unknown>): Buffer {
  return Buffer.from(serialize(options));
}
