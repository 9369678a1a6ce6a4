// Canonical string form of a BSON value for index lookups: two values get the same string
// exactly when MongoDB's equality treats them as equal (1, 1.0 and Long(1) are one key;
// the string "1" is another). Object keys keep their order, as MongoDB compares them in order.
import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'bson';

export function encodeKey(value: unknown): string {
  if (value === null || value === undefined) return 'z';
  switch (typeof value) {
    case 'number':
      return `n${Object.is(value, -0) ? 0 : value}`;
    case 'bigint':
      return `n${value}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 't' : 'f';
    default:
      return encodeObject(value);
  }
}

function encodeObject(value: unknown): string {
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Long) return `n${value.toString()}`;
  if (value instanceof Double || value instanceof Int32) return encodeKey(value.value);
  if (value instanceof Decimal128) return `m${value.toString()}`;
  if (value instanceof Binary) return `b${value.sub_type}:${Buffer.from(value.buffer).toString('base64')}`;
  if (value instanceof RegExp) return `r${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `[${value.map(encodeKey).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const typeTag = (value as { _bsontype?: unknown })._bsontype;
    if (typeof typeTag === 'string') return `x${typeTag}:${String(value)}`;
    const parts = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${encodeKey(v)}`);
    return `{${parts.join(',')}}`;
  }
  return `?${String(value)}`;
}

/** The keys of a compound index entry: one per combination of the fields' values. */
export function combineKeys(perField: readonly (readonly unknown[])[]): string[] {
  let combos: string[] = [''];
  for (const values of perField) {
    const encoded = [...new Set(values.map(encodeKey))];
    combos = combos.flatMap((prefix) => encoded.map((key) => (prefix === '' ? key : `${prefix}|${key}`)));
  }
  return combos;
}
