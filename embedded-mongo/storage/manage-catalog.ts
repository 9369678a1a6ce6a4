// Creating, dropping and renaming collections and indexes, in the catalog and as SQLite tables.
import { serialize, type Document } from 'bson';
import { CommandError } from '../command-error.js';
import { indexKeysOf, keyValueOf, type IndexInfo, type IndexSpec } from './index-spec.js';
import { scanSource } from './read-documents.js';
import { namespaceOf, serializeOptions, type CollectionHandle, type Store } from './open-store.js';

/** MongoDB's limit on indexes per collection (including _id). */
const MAX_INDEXES = 64;

export function findCollection(store: Store, db: string, name: string): CollectionHandle | undefined {
  return store.collections.get(namespaceOf(db, name));
}

export function createCollection(
  store: Store,
  db: string,
  name: string,
  options: Record<string, unknown> = {},
): CollectionHandle {
  validateName(db, name);
  if (findCollection(store, db, name))
    throw new CommandError('NamespaceExists', `Collection ${namespaceOf(db, name)} already exists.`);
  const table = `c${store.nextTableId()}`;
  store.sql.exec(`CREATE TABLE ${table} (rid INTEGER PRIMARY KEY, idkey TEXT NOT NULL UNIQUE, doc BLOB NOT NULL)`);
  store
    .prepare('INSERT INTO catalog_collections (db, name, tbl, options) VALUES (?, ?, ?, ?)')
    .run(db, name, table, serializeOptions(options));
  const handle: CollectionHandle = { db, name, table, options, indexes: [] };
  store.collections.set(namespaceOf(db, name), handle);
  return handle;
}

/** Collections are created implicitly by the first write, as in MongoDB. */
export function ensureCollection(store: Store, db: string, name: string): CollectionHandle {
  return findCollection(store, db, name) ?? createCollection(store, db, name);
}

export function dropCollection(store: Store, handle: CollectionHandle): void {
  for (const index of handle.indexes) store.sql.exec(`DROP TABLE IF EXISTS ${index.table}`);
  store.sql.exec(`DROP TABLE IF EXISTS ${handle.table}`);
  store.prepare('DELETE FROM catalog_indexes WHERE db = ? AND coll = ?').run(handle.db, handle.name);
  store.prepare('DELETE FROM catalog_collections WHERE db = ? AND name = ?').run(handle.db, handle.name);
  store.collections.delete(namespaceOf(handle.db, handle.name));
  store.forgetStatements();
}

export function renameCollection(store: Store, from: CollectionHandle, toDb: string, toName: string): void {
  validateName(toDb, toName);
  store
    .prepare('UPDATE catalog_collections SET db = ?, name = ? WHERE db = ? AND name = ?')
    .run(toDb, toName, from.db, from.name);
  store
    .prepare('UPDATE catalog_indexes SET db = ?, coll = ? WHERE db = ? AND coll = ?')
    .run(toDb, toName, from.db, from.name);
  store.collections.delete(namespaceOf(from.db, from.name));
  store.collections.set(namespaceOf(toDb, toName), { ...from, db: toDb, name: toName });
}

export function listDatabaseNames(store: Store): string[] {
  return [...new Set([...store.collections.values()].map((handle) => handle.db))].sort();
}

export function collectionsOf(store: Store, db: string): CollectionHandle[] {
  return [...store.collections.values()].filter((handle) => handle.db === db);
}

export type CreateIndexOutcome = 'created' | 'exists';

/** Creates an index and fills it from the existing documents; a duplicate aborts it (code 11000). */
export function createIndex(store: Store, handle: CollectionHandle, spec: IndexSpec): CreateIndexOutcome {
  const existing = handle.indexes.find((index) => index.spec.name === spec.name);
  const sameKey = handle.indexes.find((index) => sameKeyPattern(index.spec.key, spec.key));
  if (existing) {
    if (sameKeyPattern(existing.spec.key, spec.key) && Boolean(existing.spec.unique) === Boolean(spec.unique))
      return 'exists';
    throw new CommandError(
      'IndexKeySpecsConflict',
      `An existing index has the same name as the requested index but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
    );
  }
  if (sameKey) {
    if (Boolean(sameKey.spec.unique) === Boolean(spec.unique) && Boolean(sameKey.spec.sparse) === Boolean(spec.sparse))
      return 'exists';
    throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.spec.name}`);
  }
  if (handle.indexes.length + 1 >= MAX_INDEXES)
    throw new CommandError(
      'IllegalOperation',
      `add index fails, too many indexes for ${namespaceOf(handle.db, handle.name)}`,
    );
  const table = `x${store.nextTableId()}`;
  store.sql.exec(
    spec.unique
      ? `CREATE TABLE ${table} (key TEXT PRIMARY KEY, rid INTEGER NOT NULL) WITHOUT ROWID; CREATE INDEX ${table}_rid ON ${table} (rid)`
      : `CREATE TABLE ${table} (key TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (key, rid)) WITHOUT ROWID; CREATE INDEX ${table}_rid ON ${table} (rid)`,
  );
  const info: IndexInfo = { spec, fields: Object.keys(spec.key), table };
  const insert = store.sql.prepare(`INSERT INTO ${table} (key, rid) VALUES (?, ?)`);
  // Paged reads: better-sqlite3 cannot write while an iterator is open on the connection.
  const rows = scanSource(store, handle);
  for (let row = rows.next(); row; row = rows.next()) {
    for (const key of indexKeysOf(row.doc, info)) {
      try {
        insert.run(key, row.rid);
      } catch (error) {
        throw duplicateOrRethrow(error, handle, info, row.doc);
      }
    }
  }
  store
    .prepare('INSERT INTO catalog_indexes (db, coll, name, tbl, spec) VALUES (?, ?, ?, ?, ?)')
    .run(handle.db, handle.name, spec.name, table, Buffer.from(serialize(spec)));
  handle.indexes = [...handle.indexes, info];
  return 'created';
}

export function dropIndex(store: Store, handle: CollectionHandle, index: IndexInfo): void {
  store.sql.exec(`DROP TABLE IF EXISTS ${index.table}`);
  store.prepare('DELETE FROM catalog_indexes WHERE tbl = ?').run(index.table);
  handle.indexes = handle.indexes.filter((other) => other !== index);
  store.forgetStatements();
}

/** SQLite's unique violation becomes MongoDB's E11000 with keyPattern and keyValue. */
export function duplicateOrRethrow(
  error: unknown,
  handle: CollectionHandle,
  index: IndexInfo | '_id',
  doc: Document,
): unknown {
  const code = (error as { code?: unknown }).code;
  if (code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && code !== 'SQLITE_CONSTRAINT_UNIQUE') return error;
  const keyPattern = index === '_id' ? { _id: 1 } : { ...index.spec.key };
  const keyValue = index === '_id' ? { _id: doc._id } : keyValueOf(doc, index);
  const name = index === '_id' ? '_id_' : index.spec.name;
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return new CommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${namespaceOf(handle.db, handle.name)} index: ${name} dup key: { ${shown} }`,
    { keyPattern, keyValue },
  );
}

function sameKeyPattern(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}

function validateName(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!name || name.includes('$') || name.includes('\0') || name.startsWith('.'))
    throw new CommandError('InvalidNamespace', `Invalid collection name: '${name}'`);
}
