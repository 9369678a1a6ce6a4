// $addToSet, $pullAll and (on arrays holding typed numbers) $pull computed on the typed array,
// so element equality is MongoDB's — numbers equal by value whatever their BSON type, documents
// field by field in order (storage/encode-key.ts) — rather than mingo's, which would not see
// Long(1) and 1 as equal. The result is handed on as a `$set` of the whole array.
import type { Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { CommandError } from '../command-error.js';
import { encodeKey } from '../storage/encode-key.js';
import { isContainer, promoteNumbers } from '../storage/typed-values.js';
import { bsonTypeName } from './bson-type.js';

export function addToSet(current: unknown[] | undefined, argument: unknown): unknown[] {
  const each = isContainer(argument) && !Array.isArray(argument) && '$each' in argument;
  const values = each ? (argument as Document).$each : [argument];
  if (!Array.isArray(values))
    throw new CommandError(
      'BadValue',
      `The argument to $each in $addToSet must be an array but it was of type ${bsonTypeName(values)}`,
    );
  const out = [...(current ?? [])];
  const keys = new Set(out.map(encodeKey));
  for (const value of values) {
    const key = encodeKey(value);
    if (keys.has(key)) continue;
    keys.add(key);
    out.push(value);
  }
  return out;
}

export function pullAll(current: unknown[], argument: unknown): unknown[] {
  if (!Array.isArray(argument))
    throw new CommandError('BadValue', `$pullAll requires an array argument but was given a ${bsonTypeName(argument)}`);
  const keys = new Set(argument.map(encodeKey));
  return current.filter((value) => !keys.has(encodeKey(value)));
}

/** $pull on an array holding typed numbers (each element tested as plain numbers); undefined for plain arrays. */
export function pullTyped(current: unknown[], condition: unknown): unknown[] | undefined {
  if (!current.some((value) => promoteNumbers(value) !== value)) return undefined;
  const plainCondition = promoteNumbers(condition);
  return current.filter((value) => {
    const holder: Document = { v: [promoteNumbers(value)] };
    mingoUpdate(holder, { $pull: { v: plainCondition } });
    return (holder.v as unknown[]).length > 0;
  });
}
