// Filters compiled by mingo, with two things MongoDB defines differently: numbers in the filter
// are compared by value whatever their BSON type (typed Longs and Doubles become plain numbers),
// and `$type` sees the stored BSON type — mingo's own `$type` only has JS numbers to look at,
// so it cannot tell int32 from int64 or double. Our `$type` reads the typed value from the
// stored bytes of the document under test (registered with `withStoredBytes`).
import type { Document } from 'bson';
import { Context } from 'mingo/core';
import * as expressionOperators from 'mingo/operators/expression';
import * as queryOperators from 'mingo/operators/query';
import { Query } from 'mingo/query';
import { CommandError } from '../command-error.js';
import { buildPathTrie, decodeFields } from '../storage/decode-fields.js';
import { decodeTyped, isContainer, numberKind, promoteNumbers } from '../storage/typed-values.js';
import { bsonTypeName, TYPE_NUMBERS } from './bson-type.js';

const storedBytes = new WeakMap<object, Buffer>();

/** Marks `doc` (what the filter is tested on) as decoded from `raw`, for `$type`. */
export function withStoredBytes<T extends object>(doc: T, raw: Buffer): T {
  if (raw.length > 0) storedBytes.set(doc, raw);
  return doc;
}

const CONTEXT = Context.init({
  query: { ...queryOperators, $type: typeOperator } as unknown as typeof queryOperators,
  expression: expressionOperators,
});

export function compileFilter(filter: Document | undefined, variables?: Document): Query {
  try {
    return new Query(promoteNumbers(filter ?? {}), { context: CONTEXT, variables });
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
  }
}

/** Whether a filter uses `$type` anywhere (only then are stored bytes registered). */
export function usesType(filter: Document | undefined): boolean {
  return filter !== undefined && JSON.stringify(filter).includes('"$type"');
}

function typeOperator(selector: string, value: unknown): (doc: object) => boolean {
  const wanted = (Array.isArray(value) ? value : [value]).map(typeAlias);
  const trie = buildPathTrie([selector]);
  const segments = selector.split('.');
  const matches = (item: unknown): boolean =>
    wanted.includes(bsonTypeName(item)) || (wanted.includes('number') && numberKind(item) !== undefined);
  return (doc) => {
    const raw = storedBytes.get(doc);
    const source = raw ? decodeFields(raw, trie, (bytes) => decodeTyped(bytes)) : doc;
    return valuesAlong(source, segments).some(
      (item) => matches(item) || (Array.isArray(item) && item.some((element) => matches(element))),
    );
  };
}

function typeAlias(alias: unknown): string {
  const name = typeof alias === 'number' ? TYPE_NUMBERS[alias] : alias;
  if (typeof name !== 'string' || !(name === 'number' || Object.values(TYPE_NUMBERS).includes(name)))
    throw new CommandError('BadValue', `Unknown type name alias: ${String(alias)}`);
  return name;
}

/** The values a dotted path reaches, through arrays of sub-documents as MongoDB traverses them. */
function valuesAlong(node: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) return node === undefined ? [] : [node];
  const [head = '', ...rest] = segments;
  if (Array.isArray(node)) {
    const found = node.flatMap((element) =>
      isContainer(element) && !Array.isArray(element) ? valuesAlong(element, segments) : [],
    );
    if (/^\d+$/.test(head)) found.push(...valuesAlong(node[Number(head)], rest));
    return found;
  }
  return isContainer(node) ? valuesAlong((node as Document)[head], rest) : [];
}
