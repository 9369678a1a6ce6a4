// find, getMore, killCursors, count and distinct.
import { Long, type Document } from 'bson';
import { CommandError } from '../command-error.js';
import { DEFAULT_FIRST_BATCH } from '../query/cursor-registry.js';
import { selectRows } from '../query/select-rows.js';
import { encodeKey } from '../storage/encode-key.js';
import { valuesAtPath } from '../storage/index-spec.js';
import { decodeTyped } from '../storage/typed-values.js';
import { findCollection } from '../storage/manage-catalog.js';
import { namespaceOf } from '../storage/open-store.js';
import { planQuery } from '../storage/plan-query.js';
import { countExactPlan } from '../storage/read-documents.js';
import { encodeCursorReply, type EncodedReply } from '../wire/encode-cursor-reply.js';
import {
  collectionArgument,
  letVariables,
  optionalDocument,
  optionalNumber,
  type CommandContext,
} from './command-context.js';

/** find options whose semantics we do not implement: refused rather than ignored. */
const UNSUPPORTED_FIND_OPTIONS = ['tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId', 'oplogReplay'];

export function findCommand(command: Document, db: string, context: CommandContext): EncodedReply {
  const name = collectionArgument(command, 'find');
  for (const option of UNSUPPORTED_FIND_OPTIONS) {
    if (command[option] !== undefined && command[option] !== false)
      throw new CommandError('NotImplemented', `find option '${option}' is not supported by the docq embedded server`);
  }
  rejectCollation(command);
  const rawLimit = typeof command.limit === 'number' ? command.limit : 0;
  const limit = Math.abs(rawLimit);
  const source = selectRows(context.store, findCollection(context.store, db, name), {
    filter: optionalDocument(command, 'filter'),
    sort: optionalDocument(command, 'sort'),
    skip: optionalNumber(command, 'skip', 0),
    limit,
    variables: letVariables(command),
  });
  const batchSize = optionalNumber(command, 'batchSize', DEFAULT_FIRST_BATCH);
  const firstBatchSize = limit > 0 ? Math.min(limit, batchSize || limit) : batchSize;
  const ns = namespaceOf(db, name);
  const spec = optionalDocument(command, 'projection');
  const projection =
    spec && Object.keys(spec).length > 0 ? { spec, filter: optionalDocument(command, 'filter') ?? {} } : undefined;
  const batch = context.cursors.open(
    ns,
    source,
    projection,
    firstBatchSize,
    command.singleBatch === true || rawLimit < 0,
  );
  return encodeCursorReply('firstBatch', batch.docs, batch.cursorId, ns);
}

export function getMoreCommand(command: Document, db: string, context: CommandContext): EncodedReply {
  const id = cursorIdOf(command.getMore);
  const name = collectionArgument(command, 'collection');
  const ns = namespaceOf(db, name);
  const batch = context.cursors.more(id, ns, optionalNumber(command, 'batchSize', 0));
  if (batch === 'not-found') throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
  return encodeCursorReply('nextBatch', batch.docs, batch.cursorId, ns);
}

export function killCursorsCommand(command: Document, _db: string, context: CommandContext): Document {
  collectionArgument(command, 'killCursors');
  const ids = Array.isArray(command.cursors) ? command.cursors : [];
  const cursorsKilled: Long[] = [];
  const cursorsNotFound: Long[] = [];
  for (const raw of ids) {
    const id = cursorIdOf(raw);
    (context.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(Long.fromBigInt(id));
  }
  return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

export function countCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'count');
  rejectCollation(command);
  const handle = findCollection(context.store, db, name);
  const filter = optionalDocument(command, 'query');
  const skip = optionalNumber(command, 'skip', 0);
  const limit = Math.abs(typeof command.limit === 'number' ? command.limit : 0);
  // No filter (estimatedDocumentCount): the table's row count, no document read.
  if (handle && (!filter || Object.keys(filter).length === 0)) {
    const rows = (context.store.prepare(`SELECT count(*) AS n FROM ${handle.table}`).get() as { n: number }).n;
    return { n: Math.min(Math.max(rows - skip, 0), limit > 0 ? limit : Infinity), ok: 1 };
  }
  if (handle && filter && skip === 0 && limit === 0) {
    // Equalities on an index's fields and nothing else (run progress: {runId, status}): counted in the index.
    const plan = planQuery(filter, handle.indexes);
    if (plan.kind !== 'scan' && plan.exact) return { n: countExactPlan(context.store, handle, plan), ok: 1 };
  }
  const rows = selectRows(context.store, handle, { filter, skip, limit });
  let n = 0;
  while (rows.next()) n++;
  return { n, ok: 1 };
}

export function distinctCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'distinct');
  rejectCollation(command);
  if (typeof command.key !== 'string')
    throw new CommandError('TypeMismatch', "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  const path = command.key.split('.');
  const rows = selectRows(context.store, findCollection(context.store, db, name), {
    filter: optionalDocument(command, 'query'),
  });
  const seen = new Map<string, unknown>();
  for (let row = rows.next(); row; row = rows.next()) {
    for (const value of valuesAtPath(decodeTyped(row.raw), path)) {
      if (value === undefined) continue;
      const key = encodeKey(value);
      if (!seen.has(key)) seen.set(key, value);
    }
  }
  return { values: [...seen.values()], ok: 1 };
}

function cursorIdOf(raw: unknown): bigint {
  if (typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw);
  if (typeof raw === 'bigint') return raw;
  if (raw instanceof Long) return raw.toBigInt();
  throw new CommandError('TypeMismatch', "Field 'getMore' must be of type long");
}

/** Collations change comparison rules we do not implement; only the simple one is accepted. */
export function rejectCollation(command: Document): void {
  const collation = command.collation as Document | undefined;
  if (collation && collation.locale !== 'simple')
    throw new CommandError(
      'NotImplemented',
      `collation ${JSON.stringify(collation)} is not supported by the docq embedded server`,
    );
}
