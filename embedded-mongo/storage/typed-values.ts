// Numeric BSON types kept through decode → update → encode. bson's default decoding turns
// int32, int64 and double alike into JS numbers, and its encoder writes an integral number as
// int32, so a stored Long(5) or double 1.0 would come back as int32 5 and 1. Typed decoding
// keeps int64 as `Long` and an integral double (the only double the encoder would change) as a
// `Double`; every other number stays a plain JS number, which encodes back to its own type.
// Query matching still reads promoted values (plain numbers), as MongoDB compares numbers of
// different types by value; `promoteNumbers` turns a typed value into that form.
import { deserialize, Double, Int32, Long, type Document } from 'bson';
import { valueSize } from './decode-fields.js';

type DeserializeOptions = Parameters<typeof deserialize>[1];

/** The decoding options the server uses everywhere (binary as Binary, regexes as RegExp). */
export const BSON_OPTIONS = { promoteBuffers: false, bsonRegExp: false } as const;
const BASE = BSON_OPTIONS;
const LONGS_KEPT = { ...BASE, promoteLongs: false, promoteValues: true } as const;
const UNPROMOTED = { ...BASE, promoteValues: false } as const;

/**
 * Decodes a document keeping int64 and integral doubles typed (see above). `options` may only
 * differ from the defaults in fields other than the promote* ones (the wire passes the same).
 */
export function decodeTyped(raw: Buffer | Uint8Array, options?: DeserializeOptions): Document {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  // Common case: no integral double anywhere — bson alone keeps Longs and needs no second pass.
  const custom = options !== undefined && options !== BSON_OPTIONS;
  if (!hasIntegralDouble(bytes, 0))
    return deserialize(bytes, custom ? { ...options, promoteLongs: false, promoteValues: true } : LONGS_KEPT);
  return keepNumberTypes(deserialize(bytes, custom ? { ...options, promoteValues: false } : UNPROMOTED)) as Document;
}

/** A double the encoder would write back as int32 (integral in int32 range, or -0). */
export function isLossyDouble(value: number): boolean {
  return Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff;
}

/**
 * Walks element headers only (the name's terminator found by a loop: indexOf costs more per
 * call). Client bytes arrive here before bson has checked them, so every length is checked
 * and malformed input throws instead of looping.
 */
function hasIntegralDouble(buffer: Buffer, start: number): boolean {
  const length = buffer.readInt32LE(start);
  const end = start + length - 1;
  if (length < 5 || end >= buffer.length) throw new Error('malformed BSON: bad document length');
  let offset = start + 4;
  while (offset < end) {
    const type = buffer[offset] ?? 0;
    let valueStart = offset + 1;
    while (valueStart < end && buffer[valueStart] !== 0) valueStart++;
    valueStart++;
    let next: number;
    if (type === 0x01) {
      if (valueStart + 8 <= end && isLossyDouble(buffer.readDoubleLE(valueStart))) return true;
      next = valueStart + 8;
    } else if (type === 0x03 || type === 0x04) {
      if (hasIntegralDouble(buffer, valueStart)) return true;
      next = valueStart + buffer.readInt32LE(valueStart);
    } else {
      next = valueStart + valueSize(buffer, type, valueStart);
    }
    if (next <= offset || next > end) throw new Error('malformed BSON: bad element length');
    offset = next;
  }
  return false;
}

/** After a decode with promoteValues false: Int32 and non-integral Double become numbers. */
function keepNumberTypes(value: unknown): unknown {
  if (value instanceof Int32) return value.value;
  if (value instanceof Double) return isLossyDouble(value.value) ? value : value.value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = keepNumberTypes(value[i]);
  } else if (isContainer(value)) {
    for (const key of Object.keys(value)) value[key] = keepNumberTypes(value[key]);
  }
  return value;
}

/** A plain sub-document (not a BSON value class, Date, RegExp or binary). */
export function isContainer(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('_bsontype' in value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !(value instanceof Uint8Array)
  );
}

/**
 * The value with every Int32, Double and (safely representable) Long as a plain number, for
 * mingo: filters, sorts, projections and pipelines compare numbers by value. Unchanged parts
 * are returned as they are.
 */
export function promoteNumbers<T>(value: T): T {
  if (value instanceof Int32 || value instanceof Double) return value.value as T;
  if (value instanceof Long) {
    const n = value.toNumber();
    return (Number.isSafeInteger(n) ? n : value) as T;
  }
  if (Array.isArray(value)) {
    let changed: unknown[] | undefined;
    value.forEach((item, i) => {
      const promoted = promoteNumbers(item);
      if (promoted !== item) (changed ??= [...value])[i] = promoted;
    });
    return (changed ?? value) as T;
  }
  if (isContainer(value)) {
    let changed: Document | undefined;
    for (const [key, item] of Object.entries(value)) {
      const promoted = promoteNumbers(item);
      if (promoted !== item) (changed ??= { ...value })[key] = promoted;
    }
    return (changed ?? value) as T;
  }
  return value;
}

export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

/** The BSON numeric type a typed value encodes to, or undefined when it is not a number. */
export function numberKind(value: unknown): NumberKind | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && isLossyDouble(value) ? 'int' : 'double';
  if (typeof value !== 'object' || value === null || !('_bsontype' in value)) return undefined;
  switch (value._bsontype) {
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'Decimal128':
      return 'decimal';
    default:
      return undefined;
  }
}
