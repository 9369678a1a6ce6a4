// Collections and databases: create, drop, dropDatabase, renameCollection, listCollections,
// listDatabases, collStats and dbStats (sizes approximate: SQLite pages are not per collection).
import { type Document, Long } from 'bson';
import { Query } from 'mingo';
import { CommandError } from '../command-error.js';
import {
  collectionsOf,
  createCollection,
  dropCollection,
  findCollection,
  listDatabaseNames,
  renameCollection,
} from '../storage/manage-catalog.js';
import { namespaceOf, type CollectionHandle, type Store } from '../storage/open-store.js';
import { collectionArgument, type CommandContext } from './command-context.js';

/** create options that change behaviour we do not implement. */
const UNSUPPORTED_CREATE_OPTIONS = ['capped', 'viewOn', 'timeseries', 'clusteredIndex', 'validator', 'encryptedFields'];

export function createCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'create');
  for (const option of UNSUPPORTED_CREATE_OPTIONS) {
    if (command[option] !== undefined && command[option] !== false)
      throw new CommandError(
        'NotImplemented',
        `create option '${option}' is not supported by the docq embedded server`,
      );
  }
  context.store.sql.transaction(() => createCollection(context.store, db, name, {}))();
  return { ok: 1 };
}

export function dropCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'drop');
  const handle = findCollection(context.store, db, name);
  if (!handle) throw new CommandError('NamespaceNotFound', 'ns not found');
  const nIndexesWas = handle.indexes.length + 1;
  context.store.sql.transaction(() => dropCollection(context.store, handle))();
  context.cursors.killNamespace(namespaceOf(db, name));
  return { nIndexesWas, ns: namespaceOf(db, name), ok: 1 };
}

export function dropDatabaseCommand(_command: Document, db: string, context: CommandContext): Document {
  const handles = collectionsOf(context.store, db);
  context.store.sql.transaction(() => handles.forEach((handle) => dropCollection(context.store, handle)))();
  context.cursors.killNamespace(db);
  return { dropped: db, ok: 1 };
}

/** Runs against admin with full namespaces: {renameCollection: "db.a", to: "db.b", dropTarget}. */
export function renameCollectionCommand(command: Document, _db: string, context: CommandContext): Document {
  const [fromDb, fromName] = splitNamespace(command.renameCollection);
  const [toDb, toName] = splitNamespace(command.to);
  const source = findCollection(context.store, fromDb, fromName);
  if (!source) throw new CommandError('NamespaceNotFound', 'source namespace does not exist');
  const target = findCollection(context.store, toDb, toName);
  if (target && command.dropTarget !== true) throw new CommandError('NamespaceExists', 'target namespace exists');
  context.store.sql.transaction(() => {
    if (target) dropCollection(context.store, target);
    renameCollection(context.store, source, toDb, toName);
  })();
  context.cursors.killNamespace(namespaceOf(fromDb, fromName));
  context.cursors.killNamespace(namespaceOf(toDb, toName));
  return { ok: 1 };
}

export function listCollectionsCommand(command: Document, db: string, context: CommandContext): Document {
  const filter = (command.filter ?? {}) as Document;
  const nameOnly = command.nameOnly === true;
  const entries = collectionsOf(context.store, db).map((handle) =>
    nameOnly
      ? { name: handle.name, type: 'collection' }
      : {
          name: handle.name,
          type: 'collection',
          options: handle.options,
          info: { readOnly: false },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        },
  );
  const firstBatch = new Query(filter).find<Document>(entries).all();
  return { cursor: { id: Long.ZERO, ns: `${db}.$cmd.listCollections`, firstBatch }, ok: 1 };
}

export function listDatabasesCommand(command: Document, _db: string, context: CommandContext): Document {
  const databases = listDatabaseNames(context.store).map((name) => {
    const sizeOnDisk = collectionsOf(context.store, name).reduce(
      (sum, handle) => sum + statsOf(context.store, handle).size,
      0,
    );
    return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  const filtered = command.filter ? new Query(command.filter as Document).find<Document>(databases).all() : databases;
  if (command.nameOnly === true) return { databases: filtered.map((entry) => ({ name: entry.name })), ok: 1 };
  return { databases: filtered, totalSize: filtered.reduce((sum, entry) => sum + Number(entry.sizeOnDisk), 0), ok: 1 };
}

export function collStatsCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'collStats');
  const handle = findCollection(context.store, db, name);
  if (!handle) throw new CommandError('NamespaceNotFound', `Collection [${namespaceOf(db, name)}] not found.`);
  const { count, size } = statsOf(context.store, handle);
  return {
    ns: namespaceOf(db, name),
    count,
    size,
    avgObjSize: count > 0 ? Math.round(size / count) : 0,
    storageSize: size,
    nindexes: handle.indexes.length + 1,
    indexNames: ['_id_', ...handle.indexes.map((index) => index.spec.name)],
    totalIndexSize: 0,
    ok: 1,
  };
}

export function dbStatsCommand(_command: Document, db: string, context: CommandContext): Document {
  const handles = collectionsOf(context.store, db);
  let objects = 0;
  let dataSize = 0;
  for (const handle of handles) {
    const { count, size } = statsOf(context.store, handle);
    objects += count;
    dataSize += size;
  }
  const indexes = handles.reduce((sum, handle) => sum + handle.indexes.length + 1, 0);
  return {
    db,
    collections: handles.length,
    views: 0,
    objects,
    avgObjSize: objects > 0 ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes,
    indexSize: 0,
    ok: 1,
  };
}

function statsOf(store: Store, handle: CollectionHandle): { count: number; size: number } {
  const row = store
    .prepare(`SELECT COUNT(*) AS count, COALESCE(SUM(LENGTH(doc)), 0) AS size FROM ${handle.table}`)
    .get() as { count: number; size: number };
  return row;
}

function splitNamespace(value: unknown): [string, string] {
  if (typeof value !== 'string' || !value.includes('.'))
    throw new CommandError('InvalidNamespace', `Invalid namespace specified '${String(value)}'`);
  const dot = value.indexOf('.');
  return [value.slice(0, dot), value.slice(dot + 1)];
}
