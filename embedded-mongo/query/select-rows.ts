// The matching rows of a filter, in sort order, with skip and limit applied — pulled lazily.
// Sorting keeps only the sort fields and the rid of each match in memory, then re-reads the
// documents in order, so sorting 20,000 large documents does not hold them all at once.
import { compare } from 'mingo/util';
import type { Document } from 'bson';
import { CommandError } from '../command-error.js';
import { promoteNumbers } from '../storage/typed-values.js';
import { compileFilter, usesType, withStoredBytes } from './compile-filter.js';
import type { CollectionHandle, Store } from '../storage/open-store.js';
import { buildPathTrie, decodeFields } from '../storage/decode-fields.js';
import { planQuery } from '../storage/plan-query.js';
import { filterPaths } from './prune-fields.js';
import { emptySource, planSource, ridSource, type Row, type RowSource } from '../storage/read-documents.js';

export interface Selection {
  readonly filter?: Document;
  readonly sort?: Document;
  readonly skip?: number;
  readonly limit?: number;
  /** `let` variables of the command, for `$expr`. */
  readonly variables?: Document;
}

export function selectRows(store: Store, handle: CollectionHandle | undefined, selection: Selection): RowSource {
  if (!handle) return emptySource();
  const filter = selection.filter ?? {};
  const plan = planQuery(filter, handle.indexes);
  const candidates = planSource(store, handle, plan);
  const exact = (plan.kind !== 'scan' && plan.exact) || Object.keys(filter).length === 0;
  const query = exact ? undefined : compileFilter(filter, selection.variables);
  const typed = usesType(filter);
  // Only the fields the filter reads are decoded; matches go out as their stored bytes.
  const paths = filterPaths(filter);
  const trie = paths ? buildPathTrie(paths) : undefined;
  let matches: RowSource = query
    ? {
        next() {
          for (let row = candidates.next(); row; row = candidates.next()) {
            const doc = trie ? decodeFields(row.raw, trie) : row.doc;
            if (query.test(typed ? withStoredBytes(doc, row.raw) : doc)) return row;
          }
          return undefined;
        },
      }
    : candidates;
  const sort = normaliseSort(selection.sort);
  if (sort) matches = ridSource(store, handle, sortedRids(matches, sort));
  return applySkipLimit(matches, selection.skip ?? 0, selection.limit ?? 0);
}

export function applySkipLimit(source: RowSource, skip: number, limit: number): RowSource {
  let toSkip = skip;
  let remaining = limit > 0 ? limit : Infinity;
  return {
    next() {
      for (; toSkip > 0; toSkip--) if (!source.next()) return undefined;
      if (remaining <= 0) return undefined;
      const row = source.next();
      if (row) remaining--;
      return row;
    },
  };
}

const EMPTY = Buffer.alloc(0);

/** A source over already computed documents (aggregation results). */
export function arraySource(docs: readonly Document[], sizeOf: (doc: Document) => number): RowSource {
  let position = 0;
  return {
    next(): Row | undefined {
      const doc = docs[position];
      if (doc === undefined) return undefined;
      position++;
      return { rid: position, doc, size: sizeOf(doc), raw: EMPTY };
    },
  };
}

function normaliseSort(sort: Document | undefined): Record<string, 1 | -1> | undefined {
  if (!sort) return undefined;
  const out: Record<string, 1 | -1> = {};
  for (const [field, direction] of Object.entries(promoteNumbers(sort))) {
    if (field === '$natural') continue;
    if (direction === 1 || direction === -1) out[field] = direction;
    else if (direction === 'asc' || direction === 'ascending') out[field] = 1;
    else if (direction === 'desc' || direction === 'descending') out[field] = -1;
    else
      throw new CommandError(
        'BadValue',
        `$sort key ordering must be 1 (for ascending) or -1 (for descending): ${field}`,
      );
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function sortedRids(matches: RowSource, sort: Record<string, 1 | -1>): number[] {
  const fields = Object.entries(sort);
  const trie = buildPathTrie(fields.map(([field]) => field));
  const keyed: Array<{ rid: number; keys: unknown[] }> = [];
  for (let row = matches.next(); row; row = matches.next()) {
    const doc = decodeFields(row.raw, trie);
    keyed.push({ rid: row.rid, keys: fields.map(([field, direction]) => sortKey(doc, field.split('.'), direction)) });
  }
  // Array.prototype.sort is stable: ties keep the natural (insertion) order.
  keyed.sort((a, b) => {
    for (const [i, [, direction]] of fields.entries()) {
      const order = compareKeys(a.keys[i], b.keys[i]);
      if (order !== 0) return order * direction;
    }
    return 0;
  });
  return keyed.map((entry) => entry.rid);
}

/**
 * The value a document sorts by on one field, as MongoDB defines it: where the path reaches
 * several values (arrays), the smallest for an ascending sort and the largest for a descending
 * one; an empty array sorts before null; a missing field sorts as null.
 */
function sortKey(doc: Document, path: string[], direction: 1 | -1): unknown {
  const values = valuesForSort(doc, path);
  if (values.length === 0) return null;
  return values.reduce((best, value) => (compareKeys(value, best) * direction < 0 ? value : best));
}

const EMPTY_ARRAY = Symbol('empty array');

function valuesForSort(node: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) {
    if (!Array.isArray(node)) return node === undefined ? [] : [node];
    return node.length === 0 ? [EMPTY_ARRAY] : node;
  }
  const [head = '', ...rest] = path;
  if (Array.isArray(node)) {
    const found = node.flatMap((element) => valuesForSort(element, path));
    return found.length === 0 && /^\d+$/.test(head) ? valuesForSort(node[Number(head)], rest) : found;
  }
  if (typeof node !== 'object' || node === null) return [];
  return valuesForSort((node as Document)[head], rest);
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return a === b ? 0 : a === EMPTY_ARRAY ? -1 : 1;
  return compare(a ?? null, b ?? null);
}
