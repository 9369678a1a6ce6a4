// findAndModify: one document found (in sort order), then updated, replaced or removed,
// returning the pre- or post-image and lastErrorObject as MongoDB does.
import type { Document } from 'bson';
import { CommandError } from '../command-error.js';
import { applyUpdate, validateUpdate } from '../query/apply-update.js';
import { upsertDocument } from '../query/upsert-document.js';
import { selectRows } from '../query/select-rows.js';
import { ensureCollection } from '../storage/manage-catalog.js';
import { deleteDocument, indexKeysOfAll, insertDocument, replaceDocument } from '../storage/write-documents.js';
import { projectDocuments } from '../query/project-documents.js';
import { decodeTyped } from '../storage/typed-values.js';
import { collectionArgument, letVariables, optionalDocument, type CommandContext } from './command-context.js';
import { rejectCollation } from './read-commands.js';

export function findAndModifyCommand(command: Document, db: string, context: CommandContext): Document {
  const name = collectionArgument(command, command.findAndModify !== undefined ? 'findAndModify' : 'findandmodify');
  rejectCollation(command);
  const remove = command.remove === true;
  if (remove && command.update !== undefined)
    throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && command.update === undefined)
    throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && command.upsert === true)
    throw new CommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const filter = optionalDocument(command, 'query') ?? {};
  const fields = optionalDocument(command, 'fields');
  const returnNew = command.new === true;
  const arrayFilters = command.arrayFilters as Document[] | undefined;
  const variables = letVariables(command);
  const store = context.store;
  return store.sql.transaction(() => {
    const handle = ensureCollection(store, db, name);
    const sort = optionalDocument(command, 'sort');
    const row = selectRows(store, handle, { filter, sort, limit: 1, variables }).next();
    if (remove) {
      if (!row) return reply(null, { n: 0 }, fields);
      deleteDocument(store, handle, row.rid);
      return reply(decodeTyped(row.raw), { n: 1 }, fields);
    }
    const spec = validateUpdate(command.update);
    if (!row) {
      if (command.upsert !== true) return reply(null, { n: 0, updatedExisting: false }, fields);
      const inserted = upsertDocument(filter, spec, arrayFilters, variables);
      insertDocument(store, handle, inserted);
      return reply(returnNew ? inserted : null, { n: 1, updatedExisting: false, upserted: inserted._id }, fields);
    }
    // The update changes the document in place: keep a copy when the pre-image is returned.
    const preImage = returnNew ? undefined : decodeTyped(row.raw);
    const current = decodeTyped(row.raw);
    const oldKeys = indexKeysOfAll(handle, current);
    const { doc, modified } = applyUpdate(current, spec, arrayFilters, false, { filter, variables });
    if (modified) replaceDocument(store, handle, row.rid, oldKeys, doc, row.raw);
    return reply(returnNew ? doc : (preImage ?? null), { n: 1, updatedExisting: true }, fields);
  })();
}

function reply(value: Document | null, lastErrorObject: Document, fields: Document | undefined): Document {
  const projected = value && fields ? (projectDocuments([value], {}, fields)[0] ?? null) : value;
  return { lastErrorObject, value: projected, ok: 1 };
}
