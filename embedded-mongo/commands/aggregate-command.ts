// aggregate: mingo runs the pipeline over a lazily read collection (index-assisted when it
// starts with $match); results are served through a cursor like find's.
import { calculateObjectSize, type Document } from 'bson';
import { Aggregator } from 'mingo';
import { CommandError } from '../command-error.js';
import { DEFAULT_FIRST_BATCH } from '../query/cursor-registry.js';
import { neededFields } from '../query/prune-fields.js';
import { buildPathTrie, decodeFields } from '../storage/decode-fields.js';
import { arraySource, selectRows } from '../query/select-rows.js';
import { findCollection } from '../storage/manage-catalog.js';
import { namespaceOf, type Store } from '../storage/open-store.js';
import { encodeCursorReply, type EncodedReply } from '../wire/encode-cursor-reply.js';
import { promoteNumbers } from '../storage/typed-values.js';
import { letVariables, type CommandContext } from './command-context.js';
import { writeResults, writeStageOf } from './write-stages.js';
import { rejectCollation } from './read-commands.js';

/** Stages that watch or inspect the server: refused by name ($out and $merge: write-stages.ts). */
const UNSUPPORTED_STAGES = new Set([
  '$changeStream',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$planCacheStats',
  '$search',
  '$geoNear',
  '$documents',
]);

export function aggregateCommand(command: Document, db: string, context: CommandContext): EncodedReply {
  const target = command.aggregate;
  if (typeof target !== 'string')
    throw new CommandError(
      'NotImplemented',
      'aggregate: 1 (collection-less aggregation) is not supported by the docq embedded server',
    );
  if (command.explain) throw new CommandError('NotImplemented', 'explain is not supported by the docq embedded server');
  rejectCollation(command);
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline))
    throw new CommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of pipeline as Document[]) {
    const name = Object.keys(stage)[0] ?? '';
    if (Object.keys(stage).length !== 1)
      throw new CommandError('Location40324', `A pipeline stage specification object must contain exactly one field.`);
    if (UNSUPPORTED_STAGES.has(name))
      throw new CommandError(
        'NotImplemented',
        `aggregation stage ${name} is not supported by the docq embedded server`,
      );
  }
  const cursorOptions = command.cursor as Document | undefined;
  if (cursorOptions === undefined && !command.explain)
    throw new CommandError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  const stages = promoteNumbers(pipeline as Document[]);
  const writeStage = writeStageOf(stages, db);
  const results = runPipeline(
    context.store,
    db,
    target,
    writeStage ? stages.slice(0, -1) : stages,
    letVariables(command),
  );
  if (writeStage) writeResults(context.store, writeStage, results);
  const ns = namespaceOf(db, target);
  const batchSize = typeof cursorOptions?.batchSize === 'number' ? cursorOptions.batchSize : DEFAULT_FIRST_BATCH;
  const batch = context.cursors.open(
    ns,
    arraySource(writeStage ? [] : results, calculateObjectSize),
    undefined,
    batchSize,
  );
  return encodeCursorReply('firstBatch', batch.docs, batch.cursorId, ns);
}

export function runPipeline(
  store: Store,
  db: string,
  collection: string,
  pipeline: Document[],
  variables?: Document,
): Document[] {
  const handle = findCollection(store, db, collection);
  const first = pipeline[0];
  // A leading $match goes through the query planner, so an indexed equality does not scan.
  const leadingMatch = first && '$match' in first ? (first.$match as Document) : undefined;
  const rows = selectRows(store, handle, { filter: leadingMatch, variables });
  // selectRows applied that $match with the server's semantics ($type on stored types): mingo
  // runs the rest only, and decodes only the fields the rest needs.
  const rest = leadingMatch ? pipeline.slice(1) : pipeline;
  const fields = neededFields(rest);
  const trie = fields ? buildPathTrie(fields) : undefined;
  function* documents(): Generator<Document> {
    for (let row = rows.next(); row; row = rows.next()) yield trie ? decodeFields(row.raw, trie) : row.doc;
  }
  try {
    const aggregator = new Aggregator(rest, {
      variables,
      collectionResolver: (name: string) => runPipeline(store, db, name, []),
    });
    return aggregator.run(documents()) as Document[];
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
  }
}
