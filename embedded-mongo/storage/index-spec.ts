// Index definitions as stored in the catalog, and the index keys a document produces.
import { Query } from 'mingo';
import { CommandError } from '../command-error.js';
import { combineKeys } from './encode-key.js';

export interface IndexSpec {
  readonly name: string;
  readonly key: Readonly<Record<string, number | string>>;
  readonly unique?: boolean;
  readonly sparse?: boolean;
  readonly expireAfterSeconds?: number;
  readonly partialFilterExpression?: Record<string, unknown>;
}

export interface IndexInfo {
  readonly spec: IndexSpec;
  readonly fields: readonly string[];
  /** The SQLite table holding (key, rid) entries. */
  readonly table: string;
}

/** A document with many array elements must not explode a compound index. */
const MAX_KEYS_PER_DOCUMENT = 10_000;

/** Values at a dotted path, expanding arrays the way MongoDB's multikey indexes do. */
export function valuesAtPath(doc: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) {
    return Array.isArray(doc) ? (doc.length === 0 ? [undefined] : doc) : [doc];
  }
  if (Array.isArray(doc)) {
    const [head, ...rest] = path;
    if (head !== undefined && /^\d+$/.test(head)) return valuesAtPath(doc[Number(head)], rest);
    return doc.length === 0 ? [undefined] : doc.flatMap((item) => valuesAtPath(item, path));
  }
  if (doc === null || typeof doc !== 'object') return [undefined];
  const [head, ...rest] = path;
  return valuesAtPath((doc as Record<string, unknown>)[head ?? ''], rest);
}

/**
 * The distinct encoded keys of a document for an index, or [] when a sparse index skips it.
 * Throws when a document would produce more keys than we are prepared to store.
 */
export function indexKeysOf(doc: Record<string, unknown>, index: IndexInfo): string[] {
  if (index.spec.partialFilterExpression && !partialFilterOf(index.spec).test(doc)) return [];
  const perField = index.fields.map((field) => valuesAtPath(doc, field.split('.')));
  if (index.spec.sparse && perField.every((values) => values.every((v) => v === undefined))) return [];
  const combinations = perField.reduce((n, values) => n * values.length, 1);
  if (combinations > MAX_KEYS_PER_DOCUMENT) {
    throw new CommandError(
      'BadValue',
      `document produces more than ${MAX_KEYS_PER_DOCUMENT} keys for index ${index.spec.name}`,
    );
  }
  return combineKeys(perField);
}

/** The key value of one index for a duplicate-key error, in MongoDB's keyValue shape. */
export function keyValueOf(doc: Record<string, unknown>, index: IndexInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of index.fields) out[field] = valuesAtPath(doc, field.split('.'))[0] ?? null;
  return out;
}

/** MongoDB's default index name: field_direction pairs joined by underscores. */
export function defaultIndexName(key: Readonly<Record<string, number | string>>): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');
}

const partialFilters = new WeakMap<IndexSpec, Query>();

function partialFilterOf(spec: IndexSpec): Query {
  let query = partialFilters.get(spec);
  if (!query) {
    query = new Query(spec.partialFilterExpression ?? {});
    partialFilters.set(spec, query);
  }
  return query;
}
