// The fast path for the update docq sends on every replay: `{$set: {<top-level fields>},
// $setOnInsert: {...}}` on a matched document. Instead of decoding the stored document
// (~15 KB), changing it and encoding it again, the new document is the stored bytes with the
// set fields' elements replaced in place and new fields appended, in $set order — what
// applySimpleUpdate does to the decoded object. Only the $set argument is encoded, and only the
// indexed fields of the old and new bytes are decoded. Anything else returns undefined.
import { ObjectId, serialize, type Document } from 'bson';
import { buildPathTrie, decodeFields, valueSize } from '../storage/decode-fields.js';
import { encodeKey } from '../storage/encode-key.js';
import type { CollectionHandle } from '../storage/open-store.js';
import { rawSetOf } from '../wire/raw-updates.js';
import { equalitySeed } from './upsert-document.js';

export interface PlainSet {
  /** The $set argument encoded (or as the client sent it), its top-level elements by name. */
  readonly elements: Map<string, Buffer>;
  /** The values of the set fields that are not objects (compared with the stored ones). */
  readonly scalars: Map<string, unknown>;
}

/** The $set of an update that only sets top-level fields (no _id), else undefined. */
export function plainSetOf(handle: CollectionHandle, spec: unknown, arrayFilters: unknown): PlainSet | undefined {
  if (arrayFilters !== undefined || typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
  if (handle.indexes.some((index) => index.spec.partialFilterExpression)) return undefined;
  const operators = Object.keys(spec);
  if (!operators.includes('$set') || operators.some((op) => op !== '$set' && op !== '$setOnInsert')) return undefined;
  const raw = rawSetOf(spec);
  if (raw) return plainSetOfBytes(raw);
  const fields = (spec as Document).$set as unknown;
  if (typeof fields !== 'object' || fields === null || Object.getPrototypeOf(fields) !== Object.prototype)
    return undefined;
  const names = Object.keys(fields);
  if (names.length === 0) return undefined;
  if (!names.every(plainName)) return undefined;
  const encoded = Buffer.from(serialize(fields as Document));
  const elements = new Map<string, Buffer>();
  forEachElement(encoded, (name, start, end) => elements.set(name, encoded.subarray(start, end)));
  // Every field must have become one element (e.g. functions are skipped by serialize).
  if (elements.size !== names.length) return undefined;
  const scalars = new Map<string, unknown>();
  for (const name of names) {
    const value = (fields as Document)[name] as unknown;
    if (typeof value !== 'object') scalars.set(name, value);
  }
  return { elements, scalars };
}

/** From the client's bytes (already checked to decode and re-encode unchanged). */
function plainSetOfBytes(raw: Buffer): PlainSet | undefined {
  const elements = new Map<string, Buffer>();
  const scalarNames: string[] = [];
  let plain = true;
  forEachElement(raw, (name, start, end) => {
    if (!plainName(name) || elements.has(name)) plain = false;
    elements.set(name, raw.subarray(start, end));
    // double, string, boolean, int32: what decodes to a JS primitive (int64 is never kept raw).
    const type = raw[start];
    if (type === 0x01 || type === 0x02 || type === 0x08 || type === 0x10) scalarNames.push(name);
  });
  if (!plain || elements.size === 0) return undefined;
  const decoded = scalarNames.length > 0 ? decodeFields(raw, buildPathTrie(scalarNames)) : {};
  return { elements, scalars: new Map(scalarNames.map((name) => [name, decoded[name]])) };
}

function plainName(name: string): boolean {
  return !(
    name === '' ||
    name === '_id' ||
    name === '__proto__' ||
    name.includes('.') ||
    name.startsWith('$') ||
    /^\d+$/.test(name)
  );
}

export interface Spliced {
  readonly blob: Buffer;
  readonly oldKeys: string[][];
  readonly newKeys: string[][];
}

/** A BSON document from encoded elements: int32 length, the elements in order, a NUL. */
function bsonFromElements(parts: readonly Buffer[]): Buffer {
  const length = 4 + parts.reduce((n, part) => n + part.length, 0) + 1;
  const blob = Buffer.allocUnsafe(length);
  blob.writeInt32LE(length, 0);
  let offset = 4;
  for (const part of parts) offset += part.copy(blob, offset);
  blob[offset] = 0;
  return blob;
}

/** The stored document with the plain $set applied, and the index keys before and after. */
export function spliceSet(
  handle: CollectionHandle,
  stored: Buffer,
  set: PlainSet,
  indexKeysOf: (doc: Document, index: CollectionHandle['indexes'][number]) => string[],
): Spliced {
  // Scalars equal to the stored value (1 and 1.0 alike) keep the stored element, as the
  // decoded path's applySimpleUpdate does; sub-documents are compared as bytes.
  const scalarNames = [...set.scalars.keys()];
  const oldScalars = scalarNames.length > 0 ? decodeFields(stored, buildPathTrie(scalarNames)) : {};
  const parts: Buffer[] = [];
  const placed = new Set<string>();
  forEachElement(stored, (name, start, end) => {
    const replacement = set.elements.get(name);
    let part = stored.subarray(start, end);
    if (replacement) {
      placed.add(name);
      const keep =
        set.scalars.has(name) &&
        oldScalars[name] !== undefined &&
        encodeKey(oldScalars[name]) === encodeKey(set.scalars.get(name));
      if (!keep) part = replacement;
    }
    parts.push(part);
  });
  for (const [name, element] of set.elements) if (!placed.has(name)) parts.push(element);
  const blob = bsonFromElements(parts);
  const indexed = buildPathTrie(handle.indexes.flatMap((index) => index.fields));
  const oldDoc = handle.indexes.length > 0 ? decodeFields(stored, indexed) : {};
  const newDoc = handle.indexes.length > 0 ? decodeFields(blob, indexed) : {};
  return {
    blob,
    oldKeys: handle.indexes.map((index) => indexKeysOf(oldDoc, index)),
    newKeys: handle.indexes.map((index) => indexKeysOf(newDoc, index)),
  };
}

/** Calls back with each top-level element's name and byte range (type byte to value end). */
function forEachElement(raw: Buffer, visit: (name: string, start: number, end: number) => void): void {
  const end = raw.readInt32LE(0) - 1;
  let offset = 4;
  while (offset < end) {
    const type = raw[offset] ?? 0;
    const nameEnd = raw.indexOf(0, offset + 1);
    const name = raw.toString('utf8', offset + 1, nameEnd);
    const valueEnd = nameEnd + 1 + valueSize(raw, type, nameEnd + 1);
    visit(name, offset, valueEnd);
    offset = valueEnd;
  }
}

export interface SplicedInsert {
  readonly id: unknown;
  readonly blob: Buffer;
  readonly keys: string[][];
}

/**
 * The document an upsert of a plain $set inserts, built from bytes: `_id` (the filter's, else
 * new), the filter's other equalities, the $set elements, then $setOnInsert's — the order
 * upsertDocument gives. Undefined when the three share a name or $setOnInsert is not plain.
 */
export function spliceInsert(
  handle: CollectionHandle,
  filter: Document,
  spec: Document,
  set: PlainSet,
  indexKeysOf: (doc: Document, index: CollectionHandle['indexes'][number]) => string[],
): SplicedInsert | undefined {
  const seed = equalitySeed(filter);
  const id: unknown = seed._id === undefined ? new ObjectId() : seed._id;
  const { _id: _ignored, ...seedRest } = seed;
  const head = Buffer.from(serialize({ _id: id, ...seedRest }));
  const parts: Buffer[] = [head.subarray(4, head.length - 1)];
  const names = new Set<string>();
  forEachElement(head, (name) => names.add(name));
  for (const [name, element] of set.elements) {
    if (names.has(name)) return undefined;
    names.add(name);
    parts.push(element);
  }
  const onInsert = spec.$setOnInsert as unknown;
  if (onInsert !== undefined) {
    if (typeof onInsert !== 'object' || onInsert === null || Object.getPrototypeOf(onInsert) !== Object.prototype)
      return undefined;
    const onInsertNames = Object.keys(onInsert);
    if (!onInsertNames.every(plainName)) return undefined;
    const encoded = Buffer.from(serialize(onInsert as Document));
    let count = 0;
    let clash = false;
    forEachElement(encoded, (name, start, end) => {
      count++;
      if (names.has(name)) clash = true;
      names.add(name);
      parts.push(encoded.subarray(start, end));
    });
    if (clash || count !== onInsertNames.length) return undefined;
  }
  const blob = bsonFromElements(parts);
  const indexed = buildPathTrie(handle.indexes.flatMap((index) => index.fields));
  const doc = handle.indexes.length > 0 ? decodeFields(blob, indexed) : {};
  return { id, blob, keys: handle.indexes.map((index) => indexKeysOf(doc, index)) };
}
