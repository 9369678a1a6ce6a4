// The matching rows of a filter, in sort order, with skip and limit applied — pulled lazily.
// Sorting keeps only the sort fields and the rid of each match in memory, then re-reads the
// documents in order, so sorting 20,000 large documents does not hold them all at once.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from '../command-error.js';
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
}

export function compileFilter(filter: Document | undefined): Query {
  try {
    return new Query(filter ?? {});
  } catch (error) {
    throw new CommandError('BadValue', error instanceof Error ? error.message : String(error));
  }
}

export function selectRows(store: Store, handle: CollectionHandle | undefined, selection: Selection): RowSource {
  if (!handle) return emptySource();
  const filter = selection.filter ?? {};
  const plan = planQuery(filter, handle.indexes);
  const candidates = planSource(store, handle, plan);
  const exact = (plan.kind !== 'scan' && plan.exact) || Object.keys(filter).length === 0;
  const query = exact ? undefined : compileFilter(filter);
  // Only the fields the filter reads are decoded; matches go out as their stored bytes.
  const paths = filterPaths(filter);
  const trie = paths ? buildPathTrie(paths) : undefined;
  let matches: RowSource = query
    ? {
        next() {
          for (let row = candidates.next(); row; row = candidates.next()) {
            if (query.test(trie ? decodeFields(row.raw, trie) : row.doc)) return row;
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
  for (const [field, direction] of Object.entries(sort)) {
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
  const trie = buildPathTrie(Object.keys(sort));
  const ridOf = new Map<Document, number>();
  const keyDocs: Document[] = [];
  for (let row = matches.next(); row; row = matches.next()) {
    const keyDoc = decodeFields(row.raw, trie);
    ridOf.set(keyDoc, row.rid);
    keyDocs.push(keyDoc);
  }
  const sorted = new Query({}).find<Document>(keyDocs).sort(sort).all();
  return sorted.map((doc) => ridOf.get(doc) ?? -1);
}
