// Chooses how to find the documents of a filter: by _id, by a secondary index whose fields all
// have equality conditions (`v`, `{$eq: v}`, `{$in: [...]}`), or by a scan. The full filter
// is always applied afterwards, so an index only narrows the candidates, never decides a match.
import { combineKeys, encodeKey } from './encode-key.js';
import type { IndexInfo } from './index-spec.js';

/**
 * `exact`: the filter is nothing but the equalities the lookup used, so every candidate
 * matches (index keys follow MongoDB's equality, arrays included) and the filter need not run.
 */
export type QueryPlan =
  | { readonly kind: 'id'; readonly keys: readonly string[]; readonly exact: boolean }
  | { readonly kind: 'index'; readonly index: IndexInfo; readonly keys: readonly string[]; readonly exact: boolean }
  /** Equalities on the leading fields of a compound index only ({sha256, number: {$gt: 3}}): a key range each. */
  | { readonly kind: 'prefix'; readonly index: IndexInfo; readonly prefixes: readonly string[]; readonly exact: false }
  | { readonly kind: 'scan' };

/** Bounds the cartesian product of $in lists on a compound index. */
const MAX_PLANNED_KEYS = 1_000;

export function planQuery(filter: Record<string, unknown>, indexes: readonly IndexInfo[]): QueryPlan {
  const equalities = collectEqualities(filter);
  const ids = equalities.get('_id');
  const filterKeys = Object.keys(filter);
  // null shares its key with missing fields and empty arrays, which {f: null} does not all match.
  const covers = (fields: readonly string[]): boolean =>
    filterKeys.length === fields.length &&
    filterKeys.every((key) => fields.includes(key) && !(equalities.get(key) ?? []).some((v) => v === null));
  if (ids) return { kind: 'id', keys: ids.map(encodeKey), exact: covers(['_id']) };
  let best: QueryPlan = { kind: 'scan' };
  let bestScore = 0;
  for (const index of indexes) {
    if (index.spec.partialFilterExpression) continue;
    const perField = index.fields.map((field) => equalities.get(field));
    if (perField.some((values) => values === undefined)) continue;
    // A sparse index holds no entry for documents missing the field, which {f: null} matches.
    if (index.spec.sparse && perField.some((values) => values?.some((v) => v === null))) continue;
    const keys = combineKeys(perField as unknown[][]);
    if (keys.length > MAX_PLANNED_KEYS) continue;
    const score = (index.spec.unique ? 100 : 0) + index.fields.length;
    if (score > bestScore) {
      best = { kind: 'index', index, keys, exact: covers(index.fields) };
      bestScore = score;
    }
  }
  if (best.kind === 'scan') return planPrefix(equalities, indexes) ?? best;
  return best;
}

/**
 * Without an index whose every field has an equality, the one whose leading fields have the most
 * (stale pages of a document, {sha256, number: {$gt: n}}, read one document's entries instead of
 * the whole collection). Candidates only: the filter always runs on them.
 */
function planPrefix(equalities: Map<string, unknown[]>, indexes: readonly IndexInfo[]): QueryPlan | undefined {
  let best: QueryPlan | undefined;
  let bestLength = 0;
  for (const index of indexes) {
    if (index.spec.partialFilterExpression || index.spec.sparse) continue;
    let length = 0;
    while (length < index.fields.length - 1 && equalities.has(index.fields[length] ?? '')) length++;
    if (length === 0 || length <= bestLength) continue;
    const perField = index.fields.slice(0, length).map((field) => equalities.get(field) ?? []);
    // null shares its key with missing fields and empty arrays: leave those to a scan.
    if (perField.some((values) => values.some((v) => v === null))) continue;
    const prefixes = combineKeys(perField);
    if (prefixes.length > MAX_PLANNED_KEYS) continue;
    best = { kind: 'prefix', index, prefixes, exact: false };
    bestLength = length;
  }
  return best;
}

/** Field → the values it must equal one of, from the top level and top-level $and. */
function collectEqualities(filter: Record<string, unknown>): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (node: Record<string, unknown>): void => {
    for (const [field, condition] of Object.entries(node)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const part of condition) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (field.startsWith('$')) continue;
      const values = equalityValues(condition);
      if (values && !out.has(field)) out.set(field, values);
    }
  };
  visit(filter);
  return out;
}

function equalityValues(condition: unknown): unknown[] | undefined {
  if (isOperatorObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length !== 1) return undefined;
    if ('$eq' in condition) return isIndexable(condition.$eq) ? [condition.$eq] : undefined;
    if ('$in' in condition && Array.isArray(condition.$in))
      return condition.$in.every(isIndexable) ? condition.$in : undefined;
    return undefined;
  }
  return isIndexable(condition) ? [condition] : undefined;
}

/** Arrays and regexes have matching rules that a key lookup cannot reproduce. */
function isIndexable(value: unknown): boolean {
  return (
    !Array.isArray(value) &&
    !(value instanceof RegExp) &&
    value !== undefined &&
    !(isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$')))
  );
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
