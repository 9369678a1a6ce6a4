// insert, update and delete with MongoDB's reply shapes: n, nModified, upserted, and one
// writeError per failed statement (ordered stops at the first, unordered goes on).
// Each statement runs in its own savepoint inside one transaction per command.
import { deserialize, type Document } from 'bson';
import { errorReply, toCommandError, CommandError } from '../command-error.js';
import { applyUpdate, isOperatorUpdate, validateUpdate, withIdFirst } from '../query/apply-update.js';
import { upsertDocument } from '../query/upsert-document.js';
import { selectRows } from '../query/select-rows.js';
import { plainSetOf, spliceInsert, spliceSet } from '../query/splice-set.js';
import { indexKeysOf } from '../storage/index-spec.js';
import { ensureCollection, findCollection } from '../storage/manage-catalog.js';
import type { CollectionHandle, Store } from '../storage/open-store.js';
import {
  deleteDocument,
  indexKeysOfAll,
  insertDocument,
  insertEncoded,
  replaceDocument,
  replaceEncoded,
} from '../storage/write-documents.js';
import { decodeTyped } from '../storage/typed-values.js';
import { collectionArgument, letVariables, type CommandContext } from './command-context.js';
import { rejectCollation } from './read-commands.js';

interface StatementResult {
  n: number;
  nModified: number;
  upserted?: unknown;
}

export function insertCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'insert');
  const documents = statements(command, 'documents');
  // Created outside the per-statement savepoints so a failed first insert cannot roll it back.
  const handle =
    findCollection(context.store, db, name) ??
    context.store.sql.transaction(() => ensureCollection(context.store, db, name))();
  return runStatements(context.store, command, documents, (doc) => {
    insertDocument(context.store, handle, withIdFirst(doc));
    return { n: 1, nModified: 0 };
  });
}

export function updateCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'update');
  const updates = statements(command, 'updates');
  const handle =
    findCollection(context.store, db, name) ??
    context.store.sql.transaction(() => ensureCollection(context.store, db, name))();
  // An update statement's `sort` is MongoDB 8.0; 7.0, which this server reports, refuses the command.
  if (updates.some((statement) => statement.sort !== undefined))
    throw new CommandError('Location40415', "BSON field 'update.updates.sort' is an unknown field.");
  const variables = letVariables(command);
  return runStatements(context.store, command, updates, (statement) => {
    return updateStatement(context.store, handle, statement, variables);
  });
}

export function deleteCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, 'delete');
  const deletes = statements(command, 'deletes');
  const variables = letVariables(command);
  return runStatements(context.store, command, deletes, (statement) => {
    const handle = findCollection(context.store, db, name);
    if (statement.limit !== 0 && statement.limit !== 1)
      throw new CommandError('FailedToParse', 'The limit field in delete objects must be 0 or 1');
    rejectCollation(statement);
    const rows = selectRows(context.store, handle, {
      filter: statement.q as Document,
      limit: statement.limit,
      variables,
    });
    const rids: number[] = [];
    for (let row = rows.next(); row; row = rows.next()) rids.push(row.rid);
    if (handle) for (const rid of rids) deleteDocument(context.store, handle, rid);
    return { n: rids.length, nModified: 0 };
  });
}

function updateStatement(
  store: Store,
  handle: CollectionHandle,
  statement: Document,
  variables: Document | undefined,
): StatementResult {
  const filter = (statement.q ?? {}) as Document;
  const spec = validateUpdate(statement.u);
  const multi = statement.multi === true;
  const arrayFilters = statement.arrayFilters as Document[] | undefined;
  if (multi && !Array.isArray(spec) && !isOperatorUpdate(spec))
    throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
  rejectCollation(statement);
  const rows = selectRows(store, handle, { filter, limit: multi ? 0 : 1, variables });
  let n = 0;
  let nModified = 0;
  // Plain top-level $set: spliced into the stored bytes, the stored document never decoded.
  let plainSet: ReturnType<typeof plainSetOf> | null = null;
  for (let row = rows.next(); row; row = rows.next()) {
    n++;
    if (plainSet === null) plainSet = plainSetOf(handle, spec, arrayFilters);
    if (plainSet) {
      const { blob, oldKeys, newKeys } = spliceSet(handle, row.raw, plainSet, indexKeysOf);
      if (replaceEncoded(store, handle, row.rid, oldKeys, newKeys, blob, row.raw, () => deserialize(blob))) nModified++;
      continue;
    }
    const current = decodeTyped(row.raw);
    const oldKeys = indexKeysOfAll(handle, current);
    const { doc, modified } = applyUpdate(current, spec, arrayFilters, false, { filter, variables });
    if (modified && replaceDocument(store, handle, row.rid, oldKeys, doc, row.raw)) nModified++;
  }
  if (n > 0 || statement.upsert !== true) return { n, nModified };
  const plainInsert = plainSet === null ? plainSetOf(handle, spec, arrayFilters) : plainSet;
  const spliced = plainInsert && spliceInsert(handle, filter, spec as Document, plainInsert, indexKeysOf);
  if (spliced) {
    const { id, blob, keys } = spliced;
    insertEncoded(store, handle, id, blob, keys, () => deserialize(blob));
    return { n: 1, nModified: 0, upserted: id };
  }
  const inserted = upsertDocument(filter, spec, arrayFilters, variables);
  insertDocument(store, handle, inserted);
  return { n: 1, nModified: 0, upserted: inserted._id };
}

function statements(command: Document, field: string): Document[] {
  const value = command[field];
  if (!Array.isArray(value))
    throw new CommandError('FailedToParse', `BSON field '${field}' is missing but a required field`);
  return value as Document[];
}

function runStatements(
  store: Store,
  command: Document,
  list: Document[],
  run: (statement: Document) => StatementResult,
): Document {
  const ordered = command.ordered !== false;
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors: Document[] = [];
  const record = (index: number, result: StatementResult): void => {
    n += result.n;
    nModified += result.nModified;
    if (result.upserted !== undefined) upserted.push({ index, _id: result.upserted });
  };
  const fail = (index: number, error: unknown): void => {
    const { ok: _ok, codeName: _codeName, ...details } = errorReply(toCommandError(error));
    writeErrors.push({ index, ...details });
  };
  if (list.length === 1) {
    // A batch of one needs no savepoint: its failure rolls back a transaction holding nothing else.
    try {
      record(0, store.sql.transaction(run)(list[0] as Document));
    } catch (error) {
      fail(0, error);
    }
  } else {
    const runOne = store.sql.transaction(run);
    store.sql.transaction(() => {
      for (const [index, statement] of list.entries()) {
        try {
          record(index, runOne(statement));
        } catch (error) {
          fail(index, error);
          if (ordered) break;
        }
      }
    })();
  }
  const reply: Document = { n, ok: 1 };
  if ('updates' in command) reply.nModified = nModified;
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}
