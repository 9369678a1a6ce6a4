// A direct path for the updates docq sends most ($set, $unset, $currentDate on fields reached
// through plain sub-documents; $inc arrives here as a $set, computed by check-update.ts, which
// also refuses overlapping paths). mingo's updater rebuilds its operator tables on every call,
// which dominated upsert cost; here the same semantics are a few property writes. Anything
// else — arrays on the path, positional or numeric segments, other operators — returns
// undefined and goes to mingo.
import type { Document } from 'bson';
import { encodeKey } from '../storage/encode-key.js';

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$currentDate']);

interface Step {
  readonly operator: string;
  readonly path: readonly string[];
  readonly argument: unknown;
}

/** Returns whether the document changed, or undefined when the update is not simple. */
export function applySimpleUpdate(doc: Document, modifier: Document): boolean | undefined {
  const steps: Step[] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(operator) || typeof fields !== 'object' || fields === null) return undefined;
    for (const [field, argument] of Object.entries(fields as Document)) {
      const path = field.split('.');
      if (path.some((segment) => segment === '' || segment.startsWith('$') || /^\d+$/.test(segment))) return undefined;
      if (!isSimpleStep(doc, operator, path, argument)) return undefined;
      steps.push({ operator, path, argument });
    }
  }
  let modified = false;
  for (const step of steps) modified = applyStep(doc, step) || modified;
  return modified;
}

function isSimpleStep(doc: Document, operator: string, path: readonly string[], argument: unknown): boolean {
  let node: unknown = doc;
  for (const segment of path.slice(0, -1)) {
    node = (node as Document)[segment];
    if (node === undefined) return true;
    if (!isPlainObject(node)) return false;
  }
  if (operator === '$currentDate') return argument === true || (isPlainObject(argument) && argument.$type === 'date');
  return true;
}

function applyStep(doc: Document, { operator, path, argument }: Step): boolean {
  const leaf = path[path.length - 1] ?? '';
  let node = doc;
  for (const segment of path.slice(0, -1)) {
    if (operator === '$unset' && node[segment] === undefined) return false;
    node[segment] ??= {};
    node = node[segment] as Document;
  }
  const current: unknown = node[leaf];
  switch (operator) {
    case '$unset':
      if (!(leaf in node)) return false;
      delete node[leaf];
      return true;
    case '$currentDate':
      node[leaf] = new Date();
      return true;
    default:
      // Scalars are compared here; for sub-documents the caller compares the stored bytes.
      if (current !== undefined && typeof argument !== 'object' && encodeKey(current) === encodeKey(argument))
        return false;
      node[leaf] = argument;
      return true;
  }
}

function isPlainObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
