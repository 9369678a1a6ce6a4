// createIndexes, listIndexes and dropIndexes over the SQLite-backed secondary indexes.
import { type Document, Long } from 'bson';
import { CommandError } from '../command-error.js';
import { defaultIndexName, type IndexInfo, type IndexSpec } from '../storage/index-spec.js';
import { createIndex, dropIndex, ensureCollection, findCollection } from '../storage/manage-catalog.js';
import { namespaceOf } from '../storage/open-store.js';
import { collectionArgument, type CommandContext } from './command-context.js';

const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };
/** Index options that change what an index does and that we do not implement. */
const UNSUPPORTED_INDEX_OPTIONS = [
  'collation',
  'wildcardProjection',
  'hidden',
  '2dsphereIndexVersion',
  'weights',
  'textIndexVersion',
];

export function createIndexesCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'createIndexes');
  if (!Array.isArray(command.indexes) || command.indexes.length === 0)
    throw new CommandError('BadValue', 'Must specify at least one index to create');
  // The _id index always exists; asking for it again is a no-op as in MongoDB.
  const specs = (command.indexes as Document[])
    .filter((raw) => JSON.stringify(raw.key) !== '{"_id":1}')
    .map(toIndexSpec);
  const existed = findCollection(context.store, db, name) !== undefined;
  let before = 0;
  let after = 0;
  let created = 0;
  context.store.sql.transaction(() => {
    const handle = ensureCollection(context.store, db, name);
    before = handle.indexes.length + 1;
    for (const spec of specs) {
      if (spec.expireAfterSeconds !== undefined)
        context.log(
          `warning: TTL index ${spec.name} on ${namespaceOf(db, name)} accepted, but documents are not expired by the embedded server`,
        );
      if (createIndex(context.store, handle, spec) === 'created') created++;
    }
    after = handle.indexes.length + 1;
  })();
  const reply: Document = {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: after,
    ok: 1,
  };
  if (created === 0) reply.note = 'all indexes already exist';
  return reply;
}

export function listIndexesCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'listIndexes');
  const handle = findCollection(context.store, db, name);
  if (!handle) throw new CommandError('NamespaceNotFound', `ns does not exist: ${namespaceOf(db, name)}`);
  const firstBatch = [
    ID_INDEX,
    ...handle.indexes.map(({ spec }) => ({ v: 2, ...spec, key: spec.key, name: spec.name })),
  ];
  return { cursor: { id: Long.ZERO, ns: namespaceOf(db, name), firstBatch }, ok: 1 };
}

export function dropIndexesCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'dropIndexes');
  const handle = findCollection(context.store, db, name);
  if (!handle) throw new CommandError('NamespaceNotFound', `ns not found ${namespaceOf(db, name)}`);
  const nIndexesWas = handle.indexes.length + 1;
  const wanted = command.index;
  let targets: IndexInfo[];
  if (wanted === '*') targets = [...handle.indexes];
  else {
    const names = Array.isArray(wanted) ? wanted : [wanted];
    targets = names.map((item: unknown) => {
      if (item === '_id_' || (typeof item === 'object' && item !== null && JSON.stringify(item) === '{"_id":1}'))
        throw new CommandError('InvalidOptions', 'cannot drop _id index');
      const found = handle.indexes.find((index) =>
        typeof item === 'string' ? index.spec.name === item : JSON.stringify(index.spec.key) === JSON.stringify(item),
      );
      if (!found)
        throw new CommandError(
          'IndexNotFound',
          `index not found with name [${typeof item === 'string' ? item : JSON.stringify(item)}]`,
        );
      return found;
    });
  }
  context.store.sql.transaction(() => targets.forEach((index) => dropIndex(context.store, handle, index)))();
  return { nIndexesWas, ok: 1 };
}

function toIndexSpec(raw: Document): IndexSpec {
  const key = raw.key as Record<string, unknown> | undefined;
  if (!key || typeof key !== 'object' || Object.keys(key).length === 0)
    throw new CommandError('BadValue', 'Index keys cannot be empty.');
  for (const [field, direction] of Object.entries(key)) {
    if (direction !== 1 && direction !== -1)
      throw new CommandError(
        'NotImplemented',
        `index type ${JSON.stringify(direction)} on field '${field}' is not supported by the docq embedded server (only 1 and -1)`,
      );
  }
  for (const option of UNSUPPORTED_INDEX_OPTIONS) {
    if (raw[option] !== undefined)
      throw new CommandError('NotImplemented', `index option '${option}' is not supported by the docq embedded server`);
  }
  const spec: { -readonly [K in keyof IndexSpec]: IndexSpec[K] } = {
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key as Record<string, number>),
    key: key as Record<string, number>,
  };
  if (spec.name === '_id_') throw new CommandError('BadValue', "The index name '_id_' is reserved for the _id index");
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (typeof raw.expireAfterSeconds === 'number') spec.expireAfterSeconds = raw.expireAfterSeconds;
  if (raw.partialFilterExpression)
    spec.partialFilterExpression = raw.partialFilterExpression as Record<string, unknown>;
  return spec;
}
