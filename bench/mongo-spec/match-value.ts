// Matching of expected against actual values as MongoDB's unified test format defines it
// ("Evaluating Matches"): extra fields allowed in root-level documents only, flexible numeric
// comparison, and the $$ special operators the CRUD tests use.
import { EJSON, type Document } from 'bson';

export type EntityMap = Map<string, unknown>;

/** Throws an Error naming the first path where `actual` does not match `expected`. */
export function assertMatches(
  expected: unknown,
  actualValue: unknown,
  entities: EntityMap,
  root = true,
  path = '$',
): void {
  // The driver keeps a command's `sort` as a Map.
  const actual = actualValue instanceof Map ? Object.fromEntries(actualValue) : actualValue;
  if (isDocument(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0]?.startsWith('$$')) {
      specialOperator(keys[0], expected[keys[0]], actual, entities, root, path);
      return;
    }
    if (!isDocument(actual)) fail(path, `expected a document, got ${show(actual)}`);
    for (const key of keys) {
      const value = expected[key];
      const present = hasKey(actual, key);
      if (isDocument(value) && Object.keys(value).length === 1) {
        const operator = Object.keys(value)[0] ?? '';
        if (operator === '$$exists') {
          if (present !== (value[operator] === true)) fail(`${path}.${key}`, `$$exists ${String(value[operator])}`);
          continue;
        }
        if (operator === '$$unsetOrMatches' && (!present || actual[key] === undefined)) continue;
      }
      if (!present) fail(`${path}.${key}`, 'missing');
      assertMatches(value, actual[key], entities, false, `${path}.${key}`);
    }
    if (!root) {
      const extra = Object.keys(actual).filter((key) => !keys.includes(key) && actual[key] !== undefined);
      if (extra.length > 0) fail(path, `unexpected fields ${extra.join(', ')}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail(path, `expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length)
      fail(path, `expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    expected.forEach((value, i) => assertMatches(value, actual[i], entities, false, `${path}[${i}]`));
    return;
  }
  if (!sameScalar(expected, actual)) fail(path, `expected ${show(expected)}, got ${show(actual)}`);
}

function specialOperator(
  operator: string,
  argument: unknown,
  actual: unknown,
  entities: EntityMap,
  root: boolean,
  path: string,
): void {
  switch (operator) {
    case '$$unsetOrMatches':
      if (actual !== undefined) assertMatches(argument, actual, entities, root, path);
      return;
    case '$$type': {
      const names = Array.isArray(argument) ? (argument as string[]) : [argument as string];
      if (actual === undefined || !names.some((name) => hasType(actual, name)))
        fail(path, `expected type ${names.join('|')}, got ${show(actual)}`);
      return;
    }
    case '$$exists':
      if ((actual !== undefined) !== (argument === true)) fail(path, `$$exists ${String(argument)}`);
      return;
    case '$$matchesEntity':
      assertMatches(entity(entities, argument as string), actual, entities, root, path);
      return;
    case '$$sessionLsid': {
      const session = entity(entities, argument as string) as { id?: unknown };
      assertMatches(session.id, actual, entities, false, path);
      return;
    }
    case '$$lte': {
      const a = numeric(actual);
      const e = numeric(argument);
      if (a === undefined || e === undefined || a > e) fail(path, `expected ≤ ${show(argument)}, got ${show(actual)}`);
      return;
    }
    case '$$matchAsRoot':
      assertMatches(argument, actual, entities, true, path);
      return;
    case '$$matchAsDocument':
      assertMatches(argument, EJSON.parse(String(actual), { relaxed: false }), entities, false, path);
      return;
    default:
      throw new UnsupportedSpecFeature(`matching operator ${operator}`);
  }
}

/** A feature of the test format this runner does not implement (the test counts as not run). */
export class UnsupportedSpecFeature extends Error {}

function entity(entities: EntityMap, name: string): unknown {
  if (!entities.has(name)) throw new Error(`undefined entity ${name}`);
  return entities.get(name);
}

function fail(path: string, message: string): never {
  throw new Error(`${path}: ${message}`);
}

export function isDocument(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if ('_bsontype' in value || value instanceof Date || value instanceof RegExp || value instanceof Uint8Array)
    return false;
  return true;
}

function hasKey(doc: Document, key: string): boolean {
  return key in doc && doc[key] !== undefined;
}

function bsonType(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && '_bsontype' in value) return String(value._bsontype);
  return undefined;
}

/** The value of any numeric type except Decimal128 as a JS number (flexible numeric comparison). */
export function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const type = bsonType(value);
  if (type === 'Int32' || type === 'Double') return (value as { valueOf(): number }).valueOf();
  if (type === 'Long') return (value as { toNumber(): number }).toNumber();
  return undefined;
}

function sameScalar(expected: unknown, actual: unknown): boolean {
  const e = numeric(expected);
  if (e !== undefined) {
    const a = numeric(actual);
    return a !== undefined && (a === e || (Number.isNaN(a) && Number.isNaN(e)));
  }
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  // Everything else (ObjectId, Binary, Decimal128, regexes, timestamps…): canonical Extended JSON.
  return canonical(expected) === canonical(actual);
}

function canonical(value: unknown): string {
  return EJSON.stringify({ v: value }, { relaxed: false });
}

function hasType(value: unknown, name: string): boolean {
  const type = bsonType(value);
  const integral = typeof value === 'number' && Number.isInteger(value);
  switch (name) {
    case 'double':
      return type === 'Double' || typeof value === 'number';
    case 'int':
      return type === 'Int32' || (integral && Math.abs(value) < 2 ** 31);
    case 'long':
      return type === 'Long' || typeof value === 'bigint' || integral;
    case 'number':
      return numeric(value) !== undefined || type === 'Decimal128';
    case 'decimal':
      return type === 'Decimal128';
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'date':
      return value instanceof Date;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isDocument(value);
    case 'objectId':
      return type === 'ObjectId';
    case 'binData':
      return type === 'Binary' || value instanceof Uint8Array;
    case 'timestamp':
      return type === 'Timestamp';
    case 'regex':
      return value instanceof RegExp || type === 'BSONRegExp';
    default:
      throw new UnsupportedSpecFeature(`$$type ${name}`);
  }
}

function show(value: unknown): string {
  try {
    return EJSON.stringify(value as Document, { relaxed: true });
  } catch {
    return String(value);
  }
}
