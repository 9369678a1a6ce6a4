// One update applied to one document: replacement, update operators (through mingo's
// updater) or an aggregation pipeline. The document an upsert inserts: upsert-document.ts.
import { rawSetOf } from '../wire/raw-updates.js';
import { ObjectId, type Document } from 'bson';
import { Aggregator, update as mingoUpdate } from 'mingo';
import type { Modifier } from 'mingo/updater';
import { CommandError } from '../command-error.js';
import { encodeKey } from '../storage/encode-key.js';
import { promoteNumbers } from '../storage/typed-values.js';
import { applySimpleUpdate } from './apply-simple-update.js';
import { checkUpdate } from './check-update.js';

export type UpdateSpec = Document | Document[];

/** What an update may refer to besides the document: the query (positional `$`) and `let` variables. */
export interface UpdateContext {
  readonly filter?: Document;
  readonly variables?: Document;
}

/** Stages MongoDB allows in an update pipeline. */
const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export interface UpdateOutcome {
  readonly doc: Document;
  /** false when certainly unchanged; true may still produce identical bytes (callers compare). */
  readonly modified: boolean;
}

/** Operators mingo applies; $setOnInsert is handled here, the rest is refused by name. */
const SUPPORTED_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);

export function isOperatorUpdate(spec: UpdateSpec): boolean {
  return !Array.isArray(spec) && Object.keys(spec).some((key) => key.startsWith('$'));
}

export function validateUpdate(spec: unknown): UpdateSpec {
  if (Array.isArray(spec)) return spec as Document[];
  if (typeof spec !== 'object' || spec === null)
    throw new CommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(spec);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new CommandError(
      'FailedToParse',
      `Unknown modifier or mixed replacement fields in update: ${keys.join(', ')}`,
    );
  }
  for (const operator of operators) {
    if (!SUPPORTED_OPERATORS.has(operator))
      throw new CommandError(
        'FailedToParse',
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    // A $set kept as the client's bytes is a document: no need to decode it here.
    if (operator === '$set' && rawSetOf(spec)) continue;
    const argument = (spec as Document)[operator];
    if (typeof argument !== 'object' || argument === null)
      throw new CommandError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeof argument} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${String(argument)}}`,
      );
  }
  return spec as Document;
}

/**
 * Applies the update. Operator updates change `doc` in place (nested objects included), so
 * callers pass a document they own and take what they need from it (index keys) beforehand.
 */
export function applyUpdate(
  doc: Document,
  spec: UpdateSpec,
  arrayFilters: Document[] | undefined,
  inserting: boolean,
  context: UpdateContext = {},
): UpdateOutcome {
  const before = { _id: doc._id };
  let modified: boolean;
  let result = doc;
  try {
    if (Array.isArray(spec)) {
      result = applyPipeline(doc, spec, context.variables);
      modified = true;
    } else if (isOperatorUpdate(spec)) {
      if (!inserting) rejectIdChange(spec as Document, doc._id);
      const { $setOnInsert, ...rest } = spec as Document;
      const merged = (
        inserting && $setOnInsert
          ? { ...rest, $set: { ...(rest.$set as Document | undefined), ...($setOnInsert as Document) } }
          : rest
      ) as Document;
      const modifier = checkUpdate(doc, merged) as Modifier<Document>;
      const simple = arrayFilters ? undefined : applySimpleUpdate(doc, modifier as Document);
      modified =
        simple ??
        (Object.keys(modifier).length > 0 &&
          mingoUpdate(doc, modifier, arrayFilters, promoteNumbers(context.filter ?? {}), {
            queryOptions: { variables: context.variables },
          }).length > 0);
    } else {
      result = { _id: before._id, ...withoutId(spec) };
      if (spec._id !== undefined && before._id !== undefined && encodeKey(spec._id) !== encodeKey(before._id))
        throw immutableId();
      // Whether a replacement changed anything is decided by comparing the stored bytes.
      modified = true;
    }
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
  }
  if (before._id !== undefined && encodeKey(result._id) !== encodeKey(before._id)) throw immutableId();
  return { doc: result, modified };
}

/** An aggregation-pipeline update: the pipeline's output replaces the document, keeping its _id. */
function applyPipeline(doc: Document, pipeline: Document[], variables: Document | undefined): Document {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (!PIPELINE_UPDATE_STAGES.has(name))
      throw new CommandError('InvalidOptions', `${name} is not allowed to be used within an update`);
  }
  const [output] = new Aggregator(promoteNumbers(pipeline), { variables }).run([doc]) as Document[];
  if (!output) return doc;
  return output._id === undefined && doc._id !== undefined ? { _id: doc._id, ...output } : withIdFirst(output);
}

/** The document with _id as its first field; a missing (or undefined) _id becomes a new ObjectId. */
export function withIdFirst(doc: Document): Document {
  if (doc._id === undefined) return { _id: new ObjectId(), ...withoutId(doc) };
  if (Object.keys(doc)[0] === '_id') return doc;
  return { _id: doc._id, ...withoutId(doc) };
}

export function withoutId(doc: Document): Document {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}

/** Operators may name _id only to set it to the value it already has. */
function rejectIdChange(spec: Document, id: unknown): void {
  for (const [operator, argument] of Object.entries(spec)) {
    for (const [path, value] of Object.entries(argument as Document)) {
      if (path !== '_id' && !path.startsWith('_id.')) continue;
      if (operator === '$set' && path === '_id' && encodeKey(value) === encodeKey(id)) continue;
      throw immutableId();
    }
  }
}

export function immutableId(): CommandError {
  return new CommandError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}
