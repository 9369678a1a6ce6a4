// Inserting, replacing and deleting one document with its index entries. Callers wrap these
// in a transaction so a failed unique check leaves neither the document nor any entry behind.
import { calculateObjectSize, serialize, type Document } from 'bson';
import { CommandError } from '../command-error.js';
import { encodeKey } from './encode-key.js';
import { indexKeysOf } from './index-spec.js';
import { duplicateOrRethrow } from './manage-catalog.js';
import { isContainer } from './typed-values.js';
import type { CollectionHandle, Store } from './open-store.js';

/** MongoDB's maxBsonObjectSize (16 MiB). */
export const MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;

export function encodeDocument(doc: Document): Buffer {
  let encoded: Uint8Array;
  try {
    encoded = serialize(doc);
  } catch (error) {
    // bson's serialization buffer is a little over 16 MiB: far larger documents fail here.
    const size = calculateObjectSize(doc);
    if (size > MAX_DOCUMENT_SIZE) throw tooLarge(size);
    throw error;
  }
  if (encoded.length > MAX_DOCUMENT_SIZE) throw tooLarge(encoded.length);
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.length);
}

function tooLarge(size: number): CommandError {
  return new CommandError(
    'BSONObjectTooLarge',
    `BSONObj size: ${size} (0x${size.toString(16)}) is invalid. Size must be between 0 and ${MAX_DOCUMENT_SIZE}(16MB)`,
  );
}

/** MongoDB refuses these `_id`s: arrays, regular expressions, undefined (53), sub-documents with `$`-prefixed names (52). */
export function validateId(id: unknown): void {
  const regex = id instanceof RegExp || (id as { _bsontype?: unknown } | null | undefined)?._bsontype === 'BSONRegExp';
  const type = Array.isArray(id) ? 'array' : regex ? 'regex' : id === undefined ? 'undefined' : undefined;
  if (type) throw new CommandError('InvalidIdField', `The '_id' value cannot be of type ${type}`);
  if (!isContainer(id)) return;
  for (const [name, value] of Object.entries(id)) {
    if (name.startsWith('$'))
      throw new CommandError(
        'DollarPrefixedFieldName',
        `_id fields may not contain '$'-prefixed fields: ${name} is not valid for storage.`,
      );
    if (isContainer(value) && !Array.isArray(value)) validateId(value);
  }
}

export function insertDocument(store: Store, handle: CollectionHandle, doc: Document): number {
  validateId(doc._id);
  const blob = encodeDocument(doc);
  let rid: number;
  try {
    rid = Number(
      store.prepare(`INSERT INTO ${handle.table} (idkey, doc) VALUES (?, ?)`).run(encodeKey(doc._id), blob)
        .lastInsertRowid,
    );
  } catch (error) {
    throw duplicateOrRethrow(error, handle, '_id', doc);
  }
  writeIndexEntries(store, handle, doc, rid);
  return rid;
}

/** Inserts already encoded bytes whose _id and index keys are known (`doc` only for errors). */
export function insertEncoded(
  store: Store,
  handle: CollectionHandle,
  id: unknown,
  blob: Buffer,
  keysPerIndex: string[][],
  doc: () => Document,
): number {
  if (blob.length > MAX_DOCUMENT_SIZE) throw tooLarge(blob.length);
  validateId(id);
  let rid: number;
  try {
    rid = Number(
      store.prepare(`INSERT INTO ${handle.table} (idkey, doc) VALUES (?, ?)`).run(encodeKey(id), blob).lastInsertRowid,
    );
  } catch (error) {
    throw duplicateOrRethrow(error, handle, '_id', doc());
  }
  for (const [i, index] of handle.indexes.entries()) insertKeys(store, handle, index, keysPerIndex[i] ?? [], rid, doc);
  return rid;
}

/** The index keys of a document, taken before an in-place update changes it. */
export function indexKeysOfAll(handle: CollectionHandle, doc: Document): string[][] {
  return handle.indexes.map((index) => indexKeysOf(doc, index));
}

/**
 * Replaces the stored document at rid (its _id must not change: checked by the caller).
 * Returns false, writing nothing, when the new bytes equal the stored ones.
 */
export function replaceDocument(
  store: Store,
  handle: CollectionHandle,
  rid: number,
  oldKeysPerIndex: string[][],
  after: Document,
  storedRaw: Buffer,
): boolean {
  const blob = encodeDocument(after);
  const newKeysPerIndex = handle.indexes.map((index) => indexKeysOf(after, index));
  return replaceEncoded(store, handle, rid, oldKeysPerIndex, newKeysPerIndex, blob, storedRaw, () => after);
}

/**
 * Replaces the stored document at rid with already encoded bytes whose index keys are known.
 * `after` is only called for a duplicate-key error's details. Returns false when unchanged.
 */
export function replaceEncoded(
  store: Store,
  handle: CollectionHandle,
  rid: number,
  oldKeysPerIndex: string[][],
  newKeysPerIndex: string[][],
  blob: Buffer,
  storedRaw: Buffer,
  after: () => Document,
): boolean {
  if (blob.length > MAX_DOCUMENT_SIZE) throw tooLarge(blob.length);
  if (blob.equals(storedRaw)) return false;
  store.prepare(`UPDATE ${handle.table} SET doc = ? WHERE rid = ?`).run(blob, rid);
  for (const [i, index] of handle.indexes.entries()) {
    const oldKeys = oldKeysPerIndex[i] ?? [];
    const newKeys = newKeysPerIndex[i] ?? [];
    if (oldKeys.length === newKeys.length && oldKeys.every((key, i) => key === newKeys[i])) continue;
    store.prepare(`DELETE FROM ${index.table} WHERE rid = ?`).run(rid);
    insertKeys(store, handle, index, newKeys, rid, after);
  }
  return true;
}

export function deleteDocument(store: Store, handle: CollectionHandle, rid: number): void {
  store.prepare(`DELETE FROM ${handle.table} WHERE rid = ?`).run(rid);
  for (const index of handle.indexes) store.prepare(`DELETE FROM ${index.table} WHERE rid = ?`).run(rid);
}

function writeIndexEntries(store: Store, handle: CollectionHandle, doc: Document, rid: number): void {
  for (const index of handle.indexes) insertKeys(store, handle, index, indexKeysOf(doc, index), rid, doc);
}

function insertKeys(
  store: Store,
  handle: CollectionHandle,
  index: CollectionHandle['indexes'][number],
  keys: string[],
  rid: number,
  doc: Document | (() => Document),
): void {
  const insert = store.prepare(`INSERT INTO ${index.table} (key, rid) VALUES (?, ?)`);
  for (const key of keys) {
    try {
      insert.run(key, rid);
    } catch (error) {
      throw duplicateOrRethrow(error, handle, index, typeof doc === 'function' ? doc() : doc);
    }
  }
}
