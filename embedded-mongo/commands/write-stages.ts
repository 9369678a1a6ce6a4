// A pipeline's final $out or $merge: its results written to a collection in one transaction.
// $out replaces the target's documents (its indexes stay); $merge matches on _id with
// whenMatched merge | replace | keepExisting | fail and whenNotMatched insert | discard | fail.
// Other `on` fields and pipeline-valued whenMatched are refused by name.
import type { Document } from 'bson';
import { CommandError } from '../command-error.js';
import { withIdFirst } from '../query/apply-update.js';
import { selectRows } from '../query/select-rows.js';
import { ensureCollection } from '../storage/manage-catalog.js';
import type { Store } from '../storage/open-store.js';
import { decodeTyped } from '../storage/typed-values.js';
import { deleteDocument, indexKeysOfAll, insertDocument, replaceDocument } from '../storage/write-documents.js';

export type WriteStage = { kind: '$out' | '$merge'; db: string; coll: string; spec: Document };

/** The pipeline's final write stage, if any (a write stage anywhere else is an error). */
export function writeStageOf(pipeline: Document[], db: string): WriteStage | undefined {
  const last = pipeline[pipeline.length - 1];
  pipeline.slice(0, -1).forEach((stage) => {
    if ('$out' in stage || '$merge' in stage)
      throw new CommandError(
        'Location40324',
        `${Object.keys(stage)[0] ?? ''} can only be the final stage in the pipeline`,
      );
  });
  if (!last || !('$out' in last || '$merge' in last)) return undefined;
  const kind = '$out' in last ? '$out' : '$merge';
  const argument = last[kind] as unknown;
  const spec: Document =
    typeof argument === 'string' ? { into: argument } : kind === '$out' ? { into: argument } : (argument as Document);
  const into = typeof spec.into === 'string' ? { db, coll: spec.into } : (spec.into as Document | undefined);
  if (!into || typeof into.coll !== 'string')
    throw new CommandError('FailedToParse', `${kind} needs a target collection`);
  return { kind, db: typeof into.db === 'string' ? into.db : db, coll: into.coll, spec };
}

export function writeResults(store: Store, stage: WriteStage, results: Document[]): void {
  const { whenMatched = 'merge', whenNotMatched = 'insert', on = '_id' } = stage.spec;
  if (stage.kind === '$merge' && (on !== '_id' || typeof whenMatched !== 'string'))
    throw new CommandError(
      'NotImplemented',
      '$merge with `on` fields or a whenMatched pipeline is not supported by the docq embedded server',
    );
  store.sql.transaction(() => {
    const handle = ensureCollection(store, stage.db, stage.coll);
    if (stage.kind === '$out') {
      const rows = selectRows(store, handle, {});
      const rids: number[] = [];
      for (let row = rows.next(); row; row = rows.next()) rids.push(row.rid);
      for (const rid of rids) deleteDocument(store, handle, rid);
      for (const doc of results) insertDocument(store, handle, withIdFirst(doc));
      return;
    }
    for (const doc of results) {
      const row =
        doc._id === undefined ? undefined : selectRows(store, handle, { filter: { _id: doc._id }, limit: 1 }).next();
      if (!row) {
        if (whenNotMatched === 'fail')
          throw new CommandError('Location40324', `$merge could not find a matching document in the target collection`);
        if (whenNotMatched === 'insert') insertDocument(store, handle, withIdFirst(doc));
        continue;
      }
      if (whenMatched === 'keepExisting') continue;
      if (whenMatched === 'fail')
        throw new CommandError(
          'DuplicateKey',
          `$merge found a document with _id ${JSON.stringify(doc._id)} in the target`,
        );
      const current = decodeTyped(row.raw);
      const next = whenMatched === 'replace' ? withIdFirst({ ...doc, _id: current._id }) : { ...current, ...doc };
      replaceDocument(store, handle, row.rid, indexKeysOfAll(handle, current), next, row.raw);
    }
  })();
}
