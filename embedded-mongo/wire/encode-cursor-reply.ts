// The reply of find, getMore and aggregate, {cursor: {firstBatch|nextBatch: [...], id, ns}, ok: 1},
// assembled from the documents' BSON bytes: stored documents go out as stored, without a
// decode and re-encode on the way.
import { Long, serialize, type Document } from 'bson';

/** Reply bytes a handler has already encoded; the connection wraps them in OP_MSG as they are. */
export class EncodedReply {
  constructor(readonly bytes: Buffer) {}
}

const TYPE_DOUBLE = 0x01;
const TYPE_STRING = 0x02;
const TYPE_DOCUMENT = 0x03;
const TYPE_ARRAY = 0x04;
const TYPE_INT64 = 0x12;

export function encodeCursorReply(
  field: 'firstBatch' | 'nextBatch',
  docs: readonly Buffer[],
  id: Long,
  ns: string,
): EncodedReply {
  const batch = documentOf(docs.flatMap((doc, i) => [element(TYPE_DOCUMENT, String(i)), doc]));
  const nsBytes = Buffer.from(ns, 'utf8');
  const nsLength = Buffer.alloc(4);
  nsLength.writeInt32LE(nsBytes.length + 1);
  const idBytes = Buffer.alloc(8);
  idBytes.writeBigInt64LE(id.toBigInt());
  const cursor = documentOf([
    element(TYPE_ARRAY, field),
    batch,
    element(TYPE_INT64, 'id'),
    idBytes,
    element(TYPE_STRING, 'ns'),
    nsLength,
    nsBytes,
    Buffer.from([0]),
  ]);
  const ok = Buffer.alloc(8);
  ok.writeDoubleLE(1);
  return new EncodedReply(documentOf([element(TYPE_DOCUMENT, 'cursor'), cursor, element(TYPE_DOUBLE, 'ok'), ok]));
}

/** BSON bytes of a document, for documents computed rather than stored. */
export function bsonOf(doc: Document): Buffer {
  const bytes = serialize(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function element(type: number, name: string): Buffer {
  return Buffer.concat([Buffer.from([type]), Buffer.from(name, 'utf8'), Buffer.from([0])]);
}

/** A BSON document from its elements' bytes (type byte, name, value — given as consecutive parts). */
function documentOf(parts: readonly Buffer[]): Buffer {
  const length = 4 + parts.reduce((sum, part) => sum + part.length, 0) + 1;
  const head = Buffer.alloc(4);
  head.writeInt32LE(length);
  return Buffer.concat([head, ...parts, Buffer.from([0])], length);
}
