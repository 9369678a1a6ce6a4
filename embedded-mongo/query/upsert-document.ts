// The document an upsert inserts when nothing matched, as MongoDB builds it:
// - replacement: the replacement with _id from the filter's _id equality, else the
//   replacement's own _id, else a new ObjectId (filter and replacement _id must agree);
// - operators or pipeline: the filter's equality fields (dotted paths expanded, $and
//   followed), then the update with $setOnInsert, then a new ObjectId if still without _id.
import type { Document } from 'bson';
import { encodeKey } from '../storage/encode-key.js';
import { applyUpdate, immutableId, isOperatorUpdate, withIdFirst, withoutId, type UpdateSpec } from './apply-update.js';

export function upsertDocument(
  filter: Document,
  spec: UpdateSpec,
  arrayFilters: Document[] | undefined,
  variables?: Document,
): Document {
  const seed = equalitySeed(filter);
  if (Array.isArray(spec) || isOperatorUpdate(spec))
    return withIdFirst(applyUpdate(seed, spec, arrayFilters, true, { filter, variables }).doc);
  const filterId: unknown = seed._id;
  if (filterId !== undefined && spec._id !== undefined && encodeKey(filterId) !== encodeKey(spec._id))
    throw immutableId();
  return withIdFirst(filterId === undefined ? spec : { _id: filterId, ...withoutId(spec) });
}

export function equalitySeed(filter: Document): Document {
  const seed: Document = {};
  const visit = (node: Document): void => {
    for (const [field, condition] of Object.entries(node)) {
      if (field === '$and' && Array.isArray(condition)) condition.forEach((part) => visit(part as Document));
      if (field.startsWith('$')) continue;
      const value = isOperatorValue(condition)
        ? Object.keys(condition).length === 1 && '$eq' in condition
          ? condition.$eq
          : undefined
        : condition;
      if (value !== undefined && !isRegex(value)) setPath(seed, field.split('.'), value);
    }
  };
  visit(filter);
  return seed;
}

function setPath(target: Document, path: string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = typeof target[head] === 'object' && target[head] !== null ? (target[head] as Document) : {};
  target[head] = child;
  setPath(child, rest, value);
}

function isOperatorValue(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.keys(value).some((key) => key.startsWith('$'))
  );
}

/** A regular expression in a filter matches; it is not a value to copy. */
function isRegex(value: unknown): boolean {
  return (
    value instanceof RegExp ||
    (typeof value === 'object' && value !== null && (value as { _bsontype?: unknown })._bsontype === 'BSONRegExp')
  );
}
