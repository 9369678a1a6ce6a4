// Decodes one framed message: OP_MSG (body + document sequences, optional checksum),
// the legacy OP_QUERY used for the first handshake, and OP_COMPRESSED (recognised, refused).
import type { Document } from 'bson';
import { BSON_OPTIONS, decodeTyped } from '../storage/typed-values.js';
import { HEADER_SIZE } from './split-frames.js';
import { decodeWithRawSets } from './raw-updates.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** OP_MSG flag bits. */
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
/** Bits 0-15 are required: a receiver must refuse unknown ones (bit 16 exhaustAllowed is optional). */
const REQUIRED_BITS_MASK = 0xffff;
const KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;
const CHECKSUM_SIZE = 4;

// Decoded with number types kept (storage/typed-values.ts): int64 stays Long, 1.0 a Double.

export type WireRequest =
  | {
      readonly kind: 'msg';
      readonly requestId: number;
      readonly command: Document;
      /** The client sent moreToCome: it expects no reply (unacknowledged write). */
      readonly noReply: boolean;
    }
  | { readonly kind: 'query'; readonly requestId: number; readonly collection: string; readonly command: Document }
  | { readonly kind: 'compressed'; readonly requestId: number; readonly originalOpCode: number };

export type ParseResult =
  { readonly ok: true; readonly request: WireRequest } | { readonly ok: false; readonly reason: string };

export function parseMessage(frame: Buffer): ParseResult {
  try {
    return { ok: true, request: decode(frame) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function decode(frame: Buffer): WireRequest {
  if (frame.length < HEADER_SIZE) throw new Error('message shorter than its header');
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) return decodeMsg(frame, requestId);
  if (opCode === OP_QUERY) return decodeQuery(frame, requestId);
  if (opCode === OP_COMPRESSED)
    return { kind: 'compressed', requestId, originalOpCode: frame.readInt32LE(HEADER_SIZE) };
  throw new Error(`unsupported opCode ${opCode}`);
}

function decodeMsg(frame: Buffer, requestId: number): WireRequest {
  const flags = frame.readUInt32LE(HEADER_SIZE);
  const unknownRequired = flags & REQUIRED_BITS_MASK & ~KNOWN_REQUIRED_BITS;
  if (unknownRequired !== 0) throw new Error(`unknown required OP_MSG flag bits 0x${unknownRequired.toString(16)}`);
  // The checksum (CRC-32C) is tolerated, not verified: TCP already guards loopback traffic.
  const end = flags & CHECKSUM_PRESENT ? frame.length - CHECKSUM_SIZE : frame.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = frame.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body) throw new Error('OP_MSG with two body sections');
      const size = bsonSize(frame, offset, end);
      body = decodeWithRawSets(frame.subarray(offset, offset + size), 'body', BSON_OPTIONS);
      offset += size;
    } else if (kind === 1) {
      const size = frame.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new Error('document sequence overruns the message');
      const nul = frame.indexOf(0, offset + 4);
      if (nul < 0 || nul >= sectionEnd) throw new Error('document sequence without identifier');
      const identifier = frame.toString('utf8', offset + 4, nul);
      const documents: Document[] = [];
      let cursor = nul + 1;
      while (cursor < sectionEnd) {
        const docSize = bsonSize(frame, cursor, sectionEnd);
        const bytes = frame.subarray(cursor, cursor + docSize);
        documents.push(
          identifier === 'updates'
            ? decodeWithRawSets(bytes, 'self', BSON_OPTIONS, documents.length)
            : decodeTyped(bytes, BSON_OPTIONS),
        );
        cursor += docSize;
      }
      sequences.push([identifier, documents]);
      offset = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new Error('OP_MSG without a body section');
  // Document sequences are fields of the command (e.g. insert's `documents`).
  for (const [identifier, documents] of sequences) body[identifier] = documents;
  return { kind: 'msg', requestId, command: body, noReply: (flags & MORE_TO_COME) !== 0 };
}

function decodeQuery(frame: Buffer, requestId: number): WireRequest {
  let offset = HEADER_SIZE + 4;
  const nul = frame.indexOf(0, offset);
  if (nul < 0) throw new Error('OP_QUERY without a collection name');
  const collection = frame.toString('utf8', offset, nul);
  offset = nul + 1 + 8; // numberToSkip, numberToReturn
  const size = bsonSize(frame, offset, frame.length);
  const command = decodeTyped(frame.subarray(offset, offset + size), BSON_OPTIONS);
  return { kind: 'query', requestId, collection, command };
}

function bsonSize(frame: Buffer, offset: number, end: number): number {
  if (offset + 5 > end) throw new Error('truncated BSON document');
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new Error(`BSON document size ${size} overruns the message`);
  return size;
}
