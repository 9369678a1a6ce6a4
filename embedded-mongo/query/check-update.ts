// What mingo's updater leaves out, done before it runs on one document:
// - the errors MongoDB gives for updates that cannot apply (mingo skips them silently):
//   a path through a scalar (28 PathNotViable), `$inc`/`$mul` on or with a non-number
//   (14 TypeMismatch), `$push`/`$addToSet`/`$pull` on a non-array (2 BadValue), `$pop` on a
//   non-array (14), two operators on overlapping paths (40 ConflictingUpdateOperators);
// - arithmetic with MongoDB's numeric types: `$inc`/`$mul` (and `$min`/`$max` on typed numbers)
//   are computed here — int32 overflowing to int64, any double making a double — and handed on
//   as `$set`s of typed values, since mingo's updater knows only JS numbers.
// Paths with positional segments (`$`, `$[]`, `$[id]`) are left to mingo.
import { Double, Long, type Document } from 'bson';
import { CommandError } from '../command-error.js';
import { isContainer, isLossyDouble, numberKind, promoteNumbers, type NumberKind } from '../storage/typed-values.js';
import { addToSet, pullAll, pullTyped } from './array-updates.js';
import { bsonTypeName } from './bson-type.js';

const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);
const KIND_ORDER: NumberKind[] = ['int', 'long', 'double', 'decimal'];
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface Resolved {
  /** The value at the path, undefined when missing. */
  readonly value: unknown;
  /** Set when the path cannot be created: the field name and the element that blocks it. */
  readonly blocked?: { field: string; element: unknown; path: string };
}

/** Returns the modifier to hand to mingo for this document (the input is never changed). */
export function checkUpdate(doc: Document, modifier: Document): Document {
  rejectConflicts(modifier);
  const out: Document = {};
  const pass = (operator: string, path: string, argument: unknown): void => {
    (out[operator] ??= {})[path] = operator === '$pull' ? promoteNumbers(argument) : argument;
  };
  const set = (path: string, value: unknown): void => pass('$set', path, value);
  for (const [operator, fields] of Object.entries(modifier)) {
    for (const [path, argument] of Object.entries(fields as Document)) {
      const segments = path.split('.');
      if (segments.some((segment) => segment.startsWith('$'))) {
        if (operator === '$inc' || operator === '$mul') rejectTypedPositional(doc, segments, argument, operator);
        pass(operator, path, argument);
        continue;
      }
      const { value, blocked } = resolve(doc, segments);
      if (blocked) {
        if (!TOLERANT_OF_BLOCKED.has(operator))
          throw new CommandError(
            'PathNotViable',
            `Cannot create field '${blocked.field}' in element {${blocked.path}: ${show(blocked.element)}}`,
          );
        pass(operator, path, argument);
      } else if (operator === '$inc' || operator === '$mul') {
        set(path, arithmetic(operator, path, value, argument, doc));
      } else if ((operator === '$min' || operator === '$max') && typedNumbers(value, argument)) {
        const [a, b] = [Number(promoteNumbers(value)), Number(promoteNumbers(argument))];
        if (operator === '$min' ? b < a : b > a) set(path, argument);
      } else if (ARRAY_OPERATORS.has(operator) && value !== undefined && !Array.isArray(value)) {
        arrayError(operator, path, value, doc);
      } else if (operator === '$addToSet') {
        set(path, addToSet(value as unknown[] | undefined, argument));
      } else if (operator === '$pullAll' && value !== undefined) {
        set(path, pullAll(value as unknown[], argument));
      } else {
        const pulled =
          operator === '$pull' && value !== undefined ? pullTyped(value as unknown[], argument) : undefined;
        if (pulled) set(path, pulled);
        else pass(operator, path, argument);
      }
    }
  }
  return out;
}

/** Operators for which a path through a scalar is a no-op in MongoDB, not an error. */
const TOLERANT_OF_BLOCKED = new Set(['$unset', '$pull', '$pullAll', '$pop']);

/**
 * Positional `$inc`/`$mul` is mingo's, which adds JS numbers only: refused by name when the
 * array it may reach (or the argument) holds typed numbers rather than computing a wrong type.
 */
function rejectTypedPositional(doc: Document, segments: string[], argument: unknown, operator: string): void {
  const at = segments.findIndex((segment) => segment.startsWith('$'));
  const { value } = resolve(doc, segments.slice(0, at));
  if (promoteNumbers(argument) === argument && promoteNumbers(value) === value) return;
  throw new CommandError(
    'NotImplemented',
    `positional ${operator} on int64 or integral double values is not supported by the docq embedded server`,
  );
}

function rejectConflicts(modifier: Document): void {
  const paths = Object.values(modifier).flatMap((fields) => Object.keys(fields as Document));
  for (const [i, a] of paths.entries())
    for (const b of paths.slice(i + 1)) {
      if (a === b || b.startsWith(`${a}.`) || a.startsWith(`${b}.`))
        throw new CommandError(
          'ConflictingUpdateOperators',
          `Updating the path '${b}' would create a conflict at '${a}'`,
        );
    }
}

function resolve(doc: Document, segments: string[]): Resolved {
  let node: unknown = doc;
  for (const [i, segment] of segments.entries()) {
    if (node === undefined) return { value: undefined };
    const viable = Array.isArray(node) ? /^\d+$/.test(segment) : isContainer(node);
    if (!viable) return { value: undefined, blocked: { field: segment, element: node, path: segments[i - 1] ?? '' } };
    node = Array.isArray(node) ? node[Number(segment)] : (node as Document)[segment];
  }
  return { value: node };
}

function typedNumbers(a: unknown, b: unknown): boolean {
  const kinds = [numberKind(a), numberKind(b)];
  return kinds.every((kind) => kind !== undefined) && (typeof a === 'object' || typeof b === 'object');
}

/** `$inc`/`$mul` with MongoDB's result types: the wider of the two, int32 widening to int64 on overflow. */
function arithmetic(
  operator: '$inc' | '$mul',
  path: string,
  current: unknown,
  argument: unknown,
  doc: Document,
): unknown {
  const verb = operator === '$inc' ? 'increment' : 'multiply';
  const argKind = numberKind(argument);
  if (argKind === undefined)
    throw new CommandError('TypeMismatch', `Cannot ${verb} with non-numeric argument: {${path}: ${show(argument)}}`);
  const currentKind = current === undefined ? argKind : numberKind(current);
  if (currentKind === undefined)
    throw new CommandError(
      'TypeMismatch',
      `Cannot apply ${operator} to a value of non-numeric type. {_id: ${show(doc._id)}} has the field '${path.split('.').pop() ?? path}' of non-numeric type ${bsonTypeName(current)}`,
    );
  const kind = KIND_ORDER[Math.max(KIND_ORDER.indexOf(currentKind), KIND_ORDER.indexOf(argKind))] ?? 'double';
  if (kind === 'decimal')
    throw new CommandError(
      'NotImplemented',
      `${operator} on decimal128 values is not supported by the docq embedded server`,
    );
  // A missing field counts as 0 of the argument's type ($inc sets the argument, $mul a zero).
  const base = current ?? 0;
  if (kind === 'double') {
    const a = Number(promoteNumbers(base));
    const b = Number(promoteNumbers(argument));
    const result = operator === '$inc' ? a + b : a * b;
    return isLossyDouble(result) ? new Double(result) : result;
  }
  const a = toBigInt(base);
  const b = toBigInt(argument);
  const result = operator === '$inc' ? a + b : a * b;
  if (result < INT64_MIN || result > INT64_MAX)
    throw new CommandError(
      'BadValue',
      `Failed to apply ${operator} operations to current value (${show(current)}) for document {_id: ${show(doc._id)}}`,
    );
  if (kind === 'int' && result >= -0x80000000n && result <= 0x7fffffffn) return Number(result);
  return Long.fromBigInt(result);
}

function toBigInt(value: unknown): bigint {
  if (value instanceof Long) return value.toBigInt();
  return BigInt(Number(promoteNumbers(value)));
}

function arrayError(operator: string, path: string, value: unknown, doc: Document): never {
  const type = bsonTypeName(value);
  const field = path.split('.').pop() ?? path;
  if (operator === '$push')
    throw new CommandError(
      'BadValue',
      `The field '${path}' must be an array but is of type ${type} in document {_id: ${show(doc._id)}}`,
    );
  if (operator === '$addToSet')
    throw new CommandError(
      'BadValue',
      `Cannot apply $addToSet to non-array field. Field named '${field}' has non-array type ${type}`,
    );
  if (operator === '$pop')
    throw new CommandError('TypeMismatch', `Path '${path}' contains an element of non-array type '${type}'`);
  throw new CommandError('BadValue', `Cannot apply ${operator} to a non-array value`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Long) return `${value.toString()}`;
  try {
    return JSON.stringify(promoteNumbers(value)) ?? String(value);
  } catch {
    return String(value);
  }
}
