// Encodes replies: OP_MSG for OP_MSG requests, OP_REPLY for the legacy OP_QUERY handshake.
import { serialize, type Document } from 'bson';
import { HEADER_SIZE } from './split-frames.js';
import { EncodedReply } from './encode-cursor-reply.js';
import { OP_MSG, OP_REPLY } from './parse-message.js';

let nextResponseId = 1;

export function encodeMsgReply(responseTo: number, reply: Document | EncodedReply): Buffer {
  const body = reply instanceof EncodedReply ? reply.bytes : serialize(reply);
  const out = Buffer.allocUnsafe(HEADER_SIZE + 4 + 1 + body.length);
  writeHeader(out, responseTo, OP_MSG);
  out.writeUInt32LE(0, HEADER_SIZE);
  out.writeUInt8(0, HEADER_SIZE + 4);
  out.set(body, HEADER_SIZE + 5);
  return out;
}

export function encodeLegacyReply(responseTo: number, reply: Document | EncodedReply): Buffer {
  const body = reply instanceof EncodedReply ? reply.bytes : serialize(reply);
  const out = Buffer.allocUnsafe(HEADER_SIZE + 20 + body.length);
  writeHeader(out, responseTo, OP_REPLY);
  out.writeInt32LE(0, HEADER_SIZE); // responseFlags
  out.writeBigInt64LE(0n, HEADER_SIZE + 4); // cursorID
  out.writeInt32LE(0, HEADER_SIZE + 12); // startingFrom
  out.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  out.set(body, HEADER_SIZE + 20);
  return out;
}

function writeHeader(out: Buffer, responseTo: number, opCode: number): void {
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}
